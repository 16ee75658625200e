import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';
import { loadTemplate, templateNames } from '../../../../main/templates/templateLibrary';

/** Every node of every template: the corpus of real params each block is used with. */
const uses = templateNames().flatMap((name) => loadTemplate(name).nodes.map((node) => ({ template: name, node })));

describe('block params round-trip through the IR', () => {
  it.each(uses.map(({ template, node }) => [`${template}/${node.id} (${node.type})`, node] as const))('%s', (_title, node) => {
    const block = getBlock(node.type)!;
    const parsed = block.params.parse(node.params);
    // What the editor writes back (defaults filled in) must read back as the same params.
    const reread = block.params.parse(JSON.parse(JSON.stringify(parsed)));
    expect(reread).toEqual(parsed);
    // And filling in defaults changes nothing a block computes from them.
    expect(block.params.parse(parsed)).toEqual(parsed);
  });
});
