import { Command, InvalidArgumentError } from 'commander';
import { LossWeightingSchema } from '../train/losses';
import { OptimizerNameSchema, ScheduleNameSchema } from '../core';
import { backendsCommand } from './commands/backends';
import { graphCheckCommand } from './commands/graphCheck';
import { graphSchemaCommand } from './commands/graphSchema';
import { lrFindCommand } from './commands/lrFind';
import { runsListCommand } from './commands/runs';
import { runsCompareCommand } from './commands/runsCompare';
import { runsDeleteCommand } from './commands/runsDelete';
import { runsExportCommand } from './commands/runsExport';
import { runsShowCommand } from './commands/runsShow';
import { serveCommand } from './commands/serve';
import { storeBackupCommand } from './commands/storeBackup';
import { templatesCommand } from './commands/templates';
import { trainCommand } from './commands/train';
import { EXIT_INTERNAL, EXIT_INVALID_INPUT, InvalidInputError, printJsonLine } from './output';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return n;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

const STORE_HELP = 'experiment store file (default: $VISIONBENCH_STORE or the per-user data folder)';

/** Runs a command and turns its result or error into the exit code (0 ok, 1 invalid input, 2 internal). */
function action<A extends unknown[]>(fn: (...args: A) => number | Promise<number>) {
  return async (...args: A) => {
    const json = args.some((a) => typeof a === 'object' && a !== null && (a as { json?: boolean }).json);
    try {
      process.exitCode = await fn(...args);
    } catch (error) {
      const invalid = error instanceof InvalidInputError;
      const message = error instanceof Error ? error.message : String(error);
      if (json) printJsonLine({ ok: false, error: { code: invalid ? 'invalid_input' : 'internal', message } });
      else process.stderr.write(`${invalid ? 'Error' : 'Internal error'}: ${message}\n`);
      if (!invalid && !json && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
      process.exitCode = invalid ? EXIT_INVALID_INPUT : EXIT_INTERNAL;
    }
  };
}

const program = new Command('visionbench')
  .description('VisionBench: design, train and debug computer-vision models.')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_INVALID_INPUT));

program.command('templates').description('list the shipped model templates').option('--json', 'print JSON').action(action(templatesCommand));

const graphCommand = program.command('graph').description('work with graph IR documents');
graphCommand
  .command('check <graph>')
  .description('validate a graph file or template; print shapes, params and FLOPs per node')
  .option('--input <CxHxW>', 'resize the input, e.g. 3x96x96')
  .option('--classes <n>', 'resize the heads to N classes', integer)
  .option('--json', 'print JSON')
  .action(action(graphCheckCommand));
graphCommand.command('schema').description('print the JSON Schema of the graph IR').action(action(graphSchemaCommand));

/** The flags `train` and `lr-find` share: graph, data, optimiser settings, initial weights, backend, store. */
function withTrainingJobOptions(command: Command): Command {
  return command
    .option('--synthetic', 'train on the built-in synthetic 10-class shapes set')
    .option('--input <CxHxW>', 'resize the input, e.g. 3x96x96')
    .option('--classes <n>', 'resize the heads to N classes', integer)
    .option('--batch <n>', 'batch size (default: the template recipe)', integer)
    .option('--optimizer <name>', `${OptimizerNameSchema.options.join(' | ')}`)
    .option('--weight-decay <x>', 'weight decay on weights of rank ≥ 2 (decoupled for adamw)', number)
    .option('--clip-norm <x>', 'clip gradients to this global L2 norm', number)
    .option('--clip-value <x>', 'clip every gradient element to [-x, x] (after --clip-norm)', number)
    .option('--label-smoothing <x>', 'label smoothing of the classification loss, in [0, 1) (overrides the heads\' own)', number)
    .option('--lr-mult <node=x,...>', 'learning-rate multipliers per node, e.g. conv1=0.1,layer4=0.5 (0 freezes the node)')
    .option('--loss-weighting <how>', `how several heads' losses add up: ${LossWeightingSchema.options.join(' | ')} (default fixed: the heads' loss weights)`)
    .option('--load-weights <run|model.json>', 'initial weights by name and shape: a run (RUN, RUN:best, RUN:last) or a TF.js layers model.json')
    .option('--seed <n>', 'seed for initial weights, dropout, data order and synthetic data', integer)
    .option('--train-size <n>', 'synthetic training images', integer, 6000)
    .option('--val-size <n>', 'synthetic validation images', integer, 500)
    .option('--overfit <n>', 'debugging check: train and validate on the first N images only (loss should reach ~0)', integer)
    .option('--freeze <nodes>', 'comma-separated node ids to freeze (overrides the graph\'s flags)')
    .option('--unfreeze <nodes>', 'comma-separated node ids to unfreeze (overrides the graph\'s flags)')
    .option('--backend <name>', 'tensorflow-gpu | tensorflow | wasm | cpu (default: the best that loads)')
    .option('--threads <n>', 'wasm threads (recorded with the run)', integer)
    .option('--store <file>', STORE_HELP);
}

withTrainingJobOptions(
  program
    .command('train [graph]')
    .description('train a graph file or template in a trainer process and record the run, or --resume one; Ctrl-C cancels cleanly')
    .option('--resume <run>', 'continue a finished, failed or cancelled run from its last checkpoint (raise --epochs to train further)')
    .option('--epochs <n>', 'epochs (default: the template recipe)', integer)
    .option('--lr <x>', 'base learning rate', number)
    .option('--schedule <name>', `learning-rate schedule: ${ScheduleNameSchema.options.join(' | ')}`)
    .option('--plateau-patience <n>', 'reduce-on-plateau: epochs without improvement before a cut (default 10)', integer)
    .option('--plateau-factor <x>', 'reduce-on-plateau: multiply the rate by this at a cut, in (0, 1) (default 0.1)', number)
    .option('--plateau-metric <metric>', 'reduce-on-plateau: METRIC[:min|max] it watches (default val/loss)')
    .option('--early-stop <spec>', 'METRIC:PATIENCE[:min|max]: stop once the metric has not improved for PATIENCE epochs, e.g. val/loss:5')
    .option('--early-stop-min-delta <x>', 'early stopping: smaller changes do not count as improvements (default 0)', number)
    .option('--fine-tune', 'three phases in one run: head only, then the top of the backbone, then everything (backbone at 0.1× the rate)')
    .option('--fine-tune-epochs <a,b,c>', 'epochs of the fine-tune phases (default 5,10,5; --epochs N alone splits N 1:2:1)')
    .option('--checkpoint-metric <metric>', 'METRIC[:min|max] that picks the best checkpoint (default val/top1:max)'),
)
  .option('--json', 'print one JSON object per event line; the last line is the summary')
  .action(action(trainCommand));

withTrainingJobOptions(
  program
    .command('lr-find <graph>')
    .description('learning-rate range test: train with a rate growing from --min-lr to --max-lr, plot the loss, suggest a rate (records no run)')
    .option('--min-lr <x>', 'first rate (default 1e-7)', number)
    .option('--max-lr <x>', 'last rate (default 10)', number)
    .option('--steps <n>', 'steps at most; it stops early once the loss passes 4x its best (default 100)', integer),
)
  .option('--json', 'print one JSON object per point; the last line is the summary with every point and the suggestions')
  .action(action(lrFindCommand));

program
  .command('backends')
  .description('which TF.js backend training uses here, and why the others do not load')
  .option('--threads <n>', 'wasm threads', integer)
  .option('--json', 'print JSON')
  .action(action(backendsCommand));

const runs = program.command('runs').description('inspect recorded runs');
runs.command('list').description('list runs, newest first').option('--store <file>', STORE_HELP).option('--json', 'print JSON').action(action(runsListCommand));
runs.command('show <run>').description('a run: hyper-parameters, backend, IR hash, final and best metrics').option('--store <file>', STORE_HELP).option('--json', 'print JSON').action(action(runsShowCommand));
runs
  .command('compare <runs...>')
  .description('compare runs with the first: hyper-parameters, architecture changes, metric deltas')
  .option('--store <file>', STORE_HELP)
  .option('--json', 'print JSON')
  .action(action(runsCompareCommand));
runs
  .command('delete <run>')
  .description('delete a run with its metrics, checkpoints and artefacts')
  .option('--force', 'delete even a run marked running')
  .option('--store <file>', STORE_HELP)
  .option('--json', 'print JSON')
  .action(action(runsDeleteCommand));
program
  .command('store')
  .description('the experiment store')
  .command('backup <file>')
  .description('copy the store with SQLite\'s online backup (safe while training)')
  .option('--store <file>', STORE_HELP)
  .option('--json', 'print JSON')
  .action(action(storeBackupCommand));
runs.command('export <run>').description('export a run\'s metrics').option('--csv', 'as CSV: step,epoch,name,value').option('--store <file>', STORE_HELP).action(action(runsExportCommand));

program
  .command('serve')
  .description('serve the workbench UI and API on 127.0.0.1 (token-protected)')
  .option('--port <n>', 'port (0 picks a free one)', integer, 0)
  .option('--open', 'open the UI in the default browser')
  .option('--store <file>', STORE_HELP)
  .option('--json', 'print the URL as a JSON line')
  .action(action(serveCommand));

await program.parseAsync(process.argv);
// `backends` loads the wasm backend here, whose worker threads keep Node alive: leave once done.
if (process.argv[2] === 'backends') process.exit();
