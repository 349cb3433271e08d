/**
 * Text a server chose (a reason phrase, a header, a Location, an error's message), made safe for
 * a terminal: every control character shown as an escape rather than obeyed. A reason phrase
 * holding `ESC]0;…` would retitle the window, `ESC]52;c;…` write the clipboard, `ESC[2J` clear the
 * screen. C0 (but the tab), DEL and C1 are controls; so are the bidirectional overrides and
 * isolates, which make text read otherwise than it is.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is what this is for.
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** `text` with each control character as `\xHH` (or `\u{HHHH}`). */
export function visible(text: string): string {
  return text.replace(CONTROLS, escaped)
}

/**
 * JSON text whose strings hold no control character raw: JSON.stringify escapes C0 only, and a
 * terminal obeys C1's CSI (U+009B) as it does ESC [.
 */
export function visibleJson(json: string): string {
  return json.replace(NOT_ESCAPED_BY_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The controls JSON.stringify leaves raw (its line breaks between members are its own). */
const NOT_ESCAPED_BY_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

function escaped(char: string): string {
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`
}

/** curl's test for a body not to write to a terminal: a zero byte in it. */
export function looksBinary(body: Uint8Array | string): boolean {
  return typeof body !== 'string' && body.includes(0)
}
