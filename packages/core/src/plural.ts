/** `1 seed`, `2 seeds`: a count with its noun in the number the count needs, for messages. */
export function plural(count: number, noun: string, nounPlural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nounPlural}`;
}
