/**
 * `npm run templates`: regenerates templates/*.json from these builders. The JSON documents are
 * what ships and what everything reads; these scripts only save writing hundreds of nodes by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inferGraph, type GraphIR } from '../../main/core';
import { resnet18, resnet34, resnet50 } from './resnet';
import { tinyResnet } from './tinyResnet';
import { vitB16, vitTiny } from './vit';
import { unetSmall } from './unet';
import { deeplabSmall } from './deeplab';
import { yoloFpn } from './yoloFpn';
import { keypointHeatmap } from './keypointHeatmap';
import { siameseEmbedder } from './siamese';
import { multitask } from './multitask';
import { mobilenetV2 } from './mobilenetV2';
import { mobilenetV3Small } from './mobilenetV3';
import { efficientnetB0 } from './efficientnet';
import { convnextTiny } from './convnext';
import { vgg16 } from './vgg';

const GENERATORS: (() => GraphIR)[] = [resnet18, resnet34, resnet50, tinyResnet, vitB16, vitTiny, mobilenetV2, mobilenetV3Small, efficientnetB0, convnextTiny, vgg16,
  unetSmall, deeplabSmall, yoloFpn, keypointHeatmap, siameseEmbedder, multitask];

const dir = fileURLToPath(new URL('../', import.meta.url));
for (const generate of GENERATORS) {
  const graph = generate();
  const report = inferGraph(graph);
  if (!report.ok) throw new Error(`${graph.name}: ${report.errors.map((e) => e.message).join('; ')}`);
  fs.writeFileSync(path.join(dir, `${graph.name}.json`), `${JSON.stringify(graph, null, 2)}\n`);
  process.stdout.write(`${graph.name}: ${report.nodes.length} nodes, ${report.totals.params.toLocaleString('en-US')} params\n`);
}
