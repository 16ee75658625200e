import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/visionbench.mjs');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the visionbench command', () => {
  it('--help lists the commands', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    for (const command of ['templates', 'graph', 'train', 'runs', 'serve']) expect(stdout).toContain(command);
  });

  it('templates --json gives name, task, input, params, trainableParams and flops', () => {
    const { code, stdout } = cli('templates', '--json');
    expect(code).toBe(0);
    const templates = JSON.parse(stdout);
    const resnet18 = templates.find((t: { name: string }) => t.name === 'resnet18');
    expect(resnet18).toEqual({ name: 'resnet18', task: 'classification', input: [3, 224, 224], params: 11_689_512, trainableParams: 11_689_512, flops: expect.any(Number) });
  });

  it('graph check resnet50 --json: topological nodes, output [1000], 25,557,032 params, exit 0', () => {
    const { code, stdout } = cli('graph', 'check', 'resnet50', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.totals.params).toBe(25_557_032);
    expect(report.outputs).toEqual(['head']);
    expect(report.nodes.at(-1)).toMatchObject({ id: 'head', outShape: [1000] });
    expect(report.nodes[0]).toMatchObject({ id: 'input', type: 'Input', outShape: [3, 224, 224], params: 0 });
  });

  it('graph check on a broken file exits 1 naming the node', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cli-'));
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        name: 'broken',
        nodes: [
          { id: 'in', type: 'Input', params: { channels: 3, height: 32, width: 32 } },
          { id: 'fc', type: 'Linear', params: { outFeatures: 10 } },
        ],
        edges: [{ from: { node: 'in', port: 'out' }, to: { node: 'fc', port: 'in' } }],
      }),
    );
    const json = cli('graph', 'check', file, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errors).toEqual([expect.objectContaining({ code: 'shape_mismatch', node: 'fc' })]);
    const human = cli('graph', 'check', file);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/shape_mismatch at fc/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('graph check of an unknown name exits 1 and lists the templates', () => {
    const { code, stderr } = cli('graph', 'check', 'resnet9000');
    expect(code).toBe(1);
    expect(stderr).toMatch(/resnet9000.*templates: .*resnet18/s);
  });

  it('graph schema prints a JSON Schema of the IR', () => {
    const { code, stdout } = cli('graph', 'schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'name', 'nodes', 'edges']));
  });

  it('refuses a malformed --input with exit 1', () => {
    const { code, stderr } = cli('graph', 'check', 'resnet18', '--input', '3x9');
    expect(code).toBe(1);
    expect(stderr).toMatch(/--input must look like 3x224x224/);
  });

  it('backends --json says which backend is chosen and why the better ones are unavailable', () => {
    const { code, stdout } = cli('backends', '--json', '--threads', '1');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.backends.map((b: { name: string }) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    const chosen = report.backends.filter((b: { status: string }) => b.status === 'chosen');
    expect(chosen).toHaveLength(1);
    expect(chosen[0].name).toBe(report.chosen);
    for (const b of report.backends.slice(0, report.backends.indexOf(chosen[0]))) {
      expect(b.status).toBe('unavailable');
      expect(b.reason.length).toBeGreaterThan(0);
    }
  });
});
