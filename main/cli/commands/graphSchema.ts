import { z } from 'zod';
import { GraphIRSchema } from '../../core';
import { printJsonLine } from '../output';

/** `visionbench graph schema`: the JSON Schema of the graph IR, for editors and other tools. */
export function graphSchemaCommand(): number {
  const schema = z.toJSONSchema(GraphIRSchema, { io: 'input' });
  printJsonLine({ ...schema, title: 'VisionBench graph IR' });
  return 0;
}
