// Lines of a UTF-8 stream (stdin, a corpus file) for the tokenizer commands, split as
// @glmjs/data's corpus reader splits them: "\n" ends a line and a "\r" right before it is
// dropped ("\r\n" is one line end); a lone "\r" is text (GLM's tokenizers treat it as
// whitespace), unlike Node's readline and Python's universal newlines, which end a line there.
// Memory: the current line only; time: linear, also for one huge line.

export async function* textLines(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pending = ""; // text after the last "\n" seen
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      yield withoutCr(pending + text.slice(start, nl));
      pending = "";
      start = nl + 1;
    }
    pending += text.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield withoutCr(pending);
}

function withoutCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
