/**
 * What `npm run bench -- …` was asked to do. Unknown flags and bad values are refused with the
 * offending text, rather than silently benchmarking something else.
 */
import { parseInputShape } from '../../main/core';
import { templateNames } from '../../main/templates/templateLibrary';
import type { BenchCase } from './benchGraph';
import type { MeasurePlan } from './interleave';

export const USAGE = `Usage: npm run bench -- [options]
  --only a,b            templates to time (default: tiny_resnet, vit_tiny, mobilenet_v2)
  --input CxHxW[,…]     input sizes for every selected template (default: each template's own list)
  --classes N           class count of the head (default: each template's own)
  --quick               fewer timed steps, a smaller store benchmark
  --rounds N            rounds of alternating ours/PyTorch (default 3)
  --steps N             timed training and inference steps per round (default 4; --quick 2)
  --batch N             batch size for training and inference (default 32)
  --threads N           wasm threads, and PyTorch's (default 2)
  --backends a,b        auto (the best that loads), wasm, cpu… (default auto; cpu only runs inputs ≤ 32×32)
  --python PATH         interpreter with torch (default $VISIONBENCH_TORCH_PYTHON or /usr/bin/python3)
  --no-reference        skip the PyTorch reference (which runs with OMP_WAIT_POLICY=PASSIVE unless set)
  --no-store            skip the store benchmark`;

/**
 * Default cases: each template at its own size and a smaller one. MobileNetV2 runs at 96×96
 * with 10 classes: at its 224×224 ImageNet default one wasm training step takes too long.
 */
export const DEFAULT_CASES: Readonly<Record<string, { inputs: [number, number, number][]; classes?: number }>> = {
  tiny_resnet: { inputs: [[3, 128, 128], [3, 64, 64]] },
  vit_tiny: { inputs: [[3, 64, 64], [3, 32, 32]] },
  mobilenet_v2: { inputs: [[3, 96, 96]], classes: 10 },
};

/** The cpu backend trains conv nets at ~0.04 img/s at 128×128: only tiny inputs are worth timing. */
export const CPU_MAX_PIXELS = 32 * 32;

export interface BenchOptions {
  cases: BenchCase[];
  plan: MeasurePlan;
  batch: number;
  threads: number;
  backends: string[];
  python: string | null;
  store: boolean;
  quick: boolean;
}

const FLAGS_WITH_VALUE = ['only', 'input', 'classes', 'rounds', 'steps', 'batch', 'threads', 'backends', 'python'];
const SWITCHES = ['quick', 'no-reference', 'no-store', 'help'];

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got "${text}"`);
  return n;
}

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions | 'help' {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (SWITCHES.includes(name)) switches.add(name);
    else if (FLAGS_WITH_VALUE.includes(name) && i + 1 < argv.length) values.set(name, argv[++i]);
    else throw new Error(`unknown or incomplete option "${argv[i]}"\n${USAGE}`);
  }
  if (switches.has('help')) return 'help';
  const quick = switches.has('quick');
  const known = templateNames();
  const only = values.get('only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? Object.keys(DEFAULT_CASES);
  for (const name of only) if (!known.includes(name)) throw new Error(`--only: no template "${name}" (templates: ${known.join(', ')})`);
  const inputs = values.get('input')?.split(',').map((text) => {
    const shape = parseInputShape(text);
    if (!shape) throw new Error(`--input: "${text}" is not CxHxW`);
    return shape;
  });
  const classes = values.has('classes') ? positive('classes', values.get('classes')!) : undefined;
  const cases = only.flatMap((template) => {
    const defaults = DEFAULT_CASES[template];
    const sizes = inputs ?? defaults?.inputs;
    if (!sizes) throw new Error(`--only ${template}: it has no default sizes; give them with --input CxHxW`);
    return sizes.map((input) => ({ template, input, classes: classes ?? defaults?.classes }));
  });
  const steps = values.has('steps') ? positive('steps', values.get('steps')!) : quick ? 2 : 4;
  return {
    cases,
    plan: {
      rounds: values.has('rounds') ? positive('rounds', values.get('rounds')!) : 3,
      steps: { train: steps, infer: steps, latency: quick ? 5 : 10 },
      firstWarmup: { train: 2, infer: 2, latency: 3 },
      warmup: 1,
      timeoutMs: 15 * 60_000,
    },
    batch: values.has('batch') ? positive('batch', values.get('batch')!) : 32,
    threads: values.has('threads') ? positive('threads', values.get('threads')!) : 2,
    backends: values.get('backends')?.split(',').map((s) => s.trim()).filter(Boolean) ?? ['auto'],
    python: switches.has('no-reference') ? null : (values.get('python') ?? env.VISIONBENCH_TORCH_PYTHON ?? '/usr/bin/python3'),
    store: !switches.has('no-store'),
    quick,
  };
}
