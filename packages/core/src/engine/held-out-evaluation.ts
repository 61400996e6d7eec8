import type { EvaluationTally, Model } from '../contracts/model.js';
import { type ExampleRequest, type HeldOutSplit, heldOutRequest, type Task } from '../contracts/task.js';
import { DiffstructError } from '../errors.js';
import { HELD_OUT_COLUMNS } from '../run-folder/run-folder.js';

/** One held-out evaluation: mean loss per prediction, and what follows from it when it applies. */
export interface HeldOutFigures {
  readonly loss: number;
  /** Predictions whose most probable class was right, when the targets are classes. */
  readonly accuracy?: number;
  /** `loss / ln 2`, for sequence tasks: bits per symbol (per character on text). */
  readonly bitsPerSymbol?: number;
}

/** Why a model cannot be evaluated: the config loader says it as the config loads, a seed again if it is made some other way. */
export function cannotEvaluateMessage(modelType: string): string {
  return `the ${modelType} model cannot evaluate held-out data (it has no evaluate); remove eval or use another model`;
}

/** Why a task cannot be evaluated (as `cannotEvaluateMessage`). */
export function noValidationSplitMessage(taskType: string): string {
  return `the ${taskType} task has no validation split; give it one (its split option, if it has one) or remove eval`;
}

/** The examples of one split an evaluation covers, and the buffers it fills, made once. */
interface SplitPlan {
  readonly count: number;
  /** Filled for each full batch, or for each window of a sequence. */
  readonly example: unknown;
  /** Tables only: the last, smaller batch (`count % batchSize` rows), when there is one. */
  readonly lastBatch?: unknown;
}

/**
 * Evaluates a model on a task's held-out splits (docs/configs.md#held-out-evaluation-eval) without touching training
 * state: the example buffers and the tally are made once, here, and no random stream is drawn.
 * Tables go in batches of the model's `batchSize` (the last one smaller); sequences window by
 * window, in order (one window each, however many the model trains on at once), the model's evaluation state continued from one window to the next.
 */
export class HeldOutEvaluation {
  /** The metrics columns this evaluation fills (valLoss, then valAccuracy and valBitsPerSymbol when they apply). */
  readonly columns: readonly string[];
  private readonly plans = new Map<HeldOutSplit, SplitPlan>();
  private readonly tally: EvaluationTally = { loss: 0, predictions: 0, correct: 0 };
  private readonly sequence: boolean;
  private readonly classes: boolean;

  /** `validationExamples`: the validation split's first examples each evaluation covers (default: all). */
  constructor(
    private readonly task: Task,
    private readonly model: Model,
    validationExamples?: number,
  ) {
    if (!model.evaluate) throw new DiffstructError(`eval: ${cannotEvaluateMessage(model.type)}`);
    const request = heldOutRequest(model.exampleRequest);
    const size = (split: HeldOutSplit) => task.heldOutSize?.(split, request) ?? 0;
    if (!(size('validation') > 0)) throw new DiffstructError(`eval: ${noValidationSplitMessage(task.type)}`);
    this.sequence = task.shape.kind === 'sequence';
    this.classes = this.sequence || task.shape.targets !== 'values';
    this.columns = [HELD_OUT_COLUMNS.loss, ...(this.classes ? [HELD_OUT_COLUMNS.accuracy] : []), ...(this.sequence ? [HELD_OUT_COLUMNS.bitsPerSymbol] : [])];
    this.plans.set('validation', this.plan(request, Math.min(size('validation'), validationExamples ?? Infinity)));
    if (size('test') > 0) this.plans.set('test', this.plan(request, size('test')));
  }

  /** Whether the task has this split. */
  has(split: HeldOutSplit): boolean {
    return this.plans.has(split);
  }

  /** The figures of the model as it is now on `split` (its first examples, for validation). */
  evaluate(split: HeldOutSplit): HeldOutFigures {
    const plan = this.plans.get(split);
    if (!plan) throw new DiffstructError(`eval: the ${this.task.type} task has no ${split} split`);
    const tally = this.tally;
    tally.loss = 0;
    tally.predictions = 0;
    tally.correct = 0;
    const task = this.task as Required<Task>;
    const evaluate = this.model.evaluate!.bind(this.model);
    if (this.sequence) {
      for (let i = 0; i < plan.count; i++) {
        task.fillHeldOut(split, plan.example, i);
        evaluate(plan.example, tally, i > 0);
      }
    } else {
      const batch = this.model.exampleRequest.batchSize!;
      const full = Math.floor(plan.count / batch);
      for (let b = 0; b < full; b++) {
        task.fillHeldOut(split, plan.example, b * batch);
        evaluate(plan.example, tally, false);
      }
      if (plan.lastBatch) {
        task.fillHeldOut(split, plan.lastBatch, full * batch);
        evaluate(plan.lastBatch, tally, false);
      }
    }
    return this.figures();
  }

  /** Figures as metrics cells, by column; NaN in each when `figures` is absent (not evaluated at this row). */
  cells(figures: HeldOutFigures | undefined): Record<string, number> {
    const cells: Record<string, number> = { [HELD_OUT_COLUMNS.loss]: figures?.loss ?? NaN };
    if (this.classes) cells[HELD_OUT_COLUMNS.accuracy] = figures?.accuracy ?? NaN;
    if (this.sequence) cells[HELD_OUT_COLUMNS.bitsPerSymbol] = figures?.bitsPerSymbol ?? NaN;
    return cells;
  }

  private figures(): HeldOutFigures {
    const { loss, predictions, correct } = this.tally;
    const mean = loss / predictions;
    return {
      loss: mean,
      ...(this.classes ? { accuracy: correct / predictions } : {}),
      ...(this.sequence ? { bitsPerSymbol: mean / Math.LN2 } : {}),
    };
  }

  private plan(request: ExampleRequest, count: number): SplitPlan {
    const example = this.task.createExample(request);
    if (this.sequence) return { count, example };
    const batch = request.batchSize;
    if (batch === undefined) throw new DiffstructError(`eval: the ${this.model.type} model asks for no batch size`);
    const rest = count % batch;
    return { count, example, ...(rest ? { lastBatch: this.task.createExample({ ...request, batchSize: rest }) } : {}) };
  }
}
