// GLM's punctuation standardisation of English data (THUDM/GLM data_utils/corpora.py; GLM.md §3.7):
// curly double quotes → ", curly single quotes → ', en dash → -. Not applied by encode();
// call it on English text the way the original preprocessing did.
export function standardizePunctuation(text: string): string {
  return text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\u2013/g, "-");
}
