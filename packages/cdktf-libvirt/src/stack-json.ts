import stableStringify = require("json-stable-stringify");

// An empty object or array in the sorted copy: json-stable-stringify prints `{` newline `}` (indented),
// JSON.stringify `{}`; these stand in for them and are replaced in the text. Any string holding
// "\u0000" sends the document to the library instead, so none can be mistaken for one.
const EMPTY_OBJECT = "\u0000{}";
const EMPTY_ARRAY = "\u0000[]";
// how JSON.stringify prints either, up to the brackets
const PRINTED_EMPTY = '"\\u0000';

// a key V8 orders first, numerically, whatever the insertion order: a sorted copy cannot hold it
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

class NeedsLibrary extends Error {}

/**
 * The text cdktf writes for a stack's JSON (json-stable-stringify with two spaces: keys in sorted order,
 * empty objects and arrays over two lines), byte for byte, but about twice as fast at a thousand VMs: the
 * native JSON.stringify prints a copy whose keys were inserted in sorted order. A document the copy cannot
 * represent (an array-index key, a string holding "\u0000") is printed by json-stable-stringify itself.
 */
export function stackJson(document: unknown): string {
  const sorted = new SortedCopy();
  let copy: unknown;
  try {
    copy = sorted.of(document);
  } catch (err) {
    if (err instanceof NeedsLibrary) return stableStringify(document, { space: 2 }) ?? "";
    throw err;
  }
  const text = JSON.stringify(copy, null, 2) ?? "";
  return sorted.empties === 0 ? text : expandEmpties(text);
}

/** Each printed EMPTY_OBJECT / EMPTY_ARRAY as `{` newline `}`, the closing bracket indented like its line. */
function expandEmpties(text: string): string {
  let at = text.indexOf(PRINTED_EMPTY);
  let result = "";
  let from = 0;
  while (at >= 0) {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    let indentEnd = lineStart;
    while (text[indentEnd] === " ") indentEnd++;
    const open = text[at + PRINTED_EMPTY.length];
    const close = text[at + PRINTED_EMPTY.length + 1];
    result += `${text.slice(from, at)}${open}\n${text.slice(lineStart, indentEnd)}${close}`;
    from = at + PRINTED_EMPTY.length + 3; // the brackets and the closing quote
    at = text.indexOf(PRINTED_EMPTY, from);
  }
  return result + text.slice(from);
}

/**
 * What json-stable-stringify prints, as plain data: toJSON() applied, keys in sorted order, empty objects
 * and arrays as markers, values JSON cannot hold left out of objects (JSON.stringify prints them as null
 * in arrays, as the library does). An object or array that already is all that is used as it is: about
 * three in four of a fleet's objects are (nested blocks; the resources themselves are not in order).
 */
class SortedCopy {
  /** How many EMPTY_OBJECT and EMPTY_ARRAY the copy holds. */
  public empties = 0;
  private readonly ancestors: unknown[] = [];

  public of(value: unknown): unknown {
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
      value = (value as { toJSON: () => unknown }).toJSON();
    }
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw new NeedsLibrary();
      return value;
    }
    if (typeof value !== "object" || value === null) return value;
    // a cycle: the library's TypeError
    if (this.ancestors.includes(value)) throw new NeedsLibrary();
    this.ancestors.push(value);
    const result = Array.isArray(value) ? this.ofArray(value) : this.ofObject(value as { [key: string]: unknown });
    this.ancestors.pop();
    if (result === EMPTY_ARRAY || result === EMPTY_OBJECT) this.empties++;
    return result;
  }

  private ofArray(array: unknown[]): unknown {
    if (array.length === 0) return EMPTY_ARRAY;
    let items: unknown[] | undefined;
    for (let i = 0; i < array.length; i++) {
      const item = this.of(array[i]);
      if (item !== array[i] && items === undefined) items = array.slice(0, i);
      if (items !== undefined) items.push(item);
    }
    return items ?? array;
  }

  private ofObject(object: { [key: string]: unknown }): unknown {
    const keys = Object.keys(object);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      if (ARRAY_INDEX.test(keys[i]) || keys[i].includes("\u0000")) throw new NeedsLibrary();
      if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
    }
    if (!sorted) keys.sort();
    let copy: { [key: string]: unknown } | undefined = sorted ? undefined : {};
    let printed = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = this.of(object[key]);
      const printable = item !== undefined && typeof item !== "function" && typeof item !== "symbol";
      // a function is left out of the copy: JSON.stringify would call one named toJSON
      if ((item !== object[key] || typeof item === "function") && copy === undefined) {
        copy = {};
        for (let j = 0; j < i; j++) if (object[keys[j]] !== undefined) copy[keys[j]] = object[keys[j]];
      }
      if (printable) printed++;
      if (copy !== undefined && printable) copy[key] = item;
    }
    if (printed === 0) return EMPTY_OBJECT;
    return copy ?? object;
  }
}
