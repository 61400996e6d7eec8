import type { PluginRef } from '../config/experiment-config.js';
import type { TaskKind } from '../contracts/task.js';
import type { ModelContribution, TaskContribution } from './contribution.js';
import type { ContributionRegistry } from './contribution-registry.js';

/** The kind of examples the task `ref` gives, as its contribution declares it (asking nested tasks in turn); no task is created. */
export function taskKindOf(tasks: ContributionRegistry<TaskContribution>, ref: PluginRef): TaskKind {
  const { kind } = tasks.get(ref.type);
  return typeof kind === 'function' ? kind(ref, (inner) => taskKindOf(tasks, inner)) : kind;
}

/**
 * Why the model `model` cannot train on the task `task`, which gives `kind` examples, naming
 * the models that could; undefined when its `accepts` has the kind. The config loader says it
 * from the task's declared kind, the runner from the created task's shape.
 */
export function unacceptedTask(models: ContributionRegistry<ModelContribution>, model: string, task: string, kind: TaskKind): string | undefined {
  const { accepts } = models.get(model);
  if (accepts.includes(kind)) return undefined;
  const others = models.all().filter((m) => m.accepts.includes(kind));
  const instead = others.length ? `models that accept ${kind} tasks: ${others.map((m) => m.type).join(', ')}` : `no loaded model accepts ${kind} tasks`;
  return `the ${model} model accepts ${accepts.join(' or ')} tasks, but the ${task} task gives ${kind} examples (${instead})`;
}
