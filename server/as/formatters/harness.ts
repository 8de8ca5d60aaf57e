/**
 * Evaluated in each sandbox before the user's script. It keeps its own JSON functions, so a
 * script replacing `JSON` breaks only itself, and falls back to TTS v2 `Decoder(bytes, port)`
 * and `Encoder(object, port)` when the v3 functions are absent (docs/behaviour.md §7).
 */
export const HARNESS = `
(function () {
  var parse = JSON.parse, stringify = JSON.stringify;
  globalThis.__moteRun = function (fn, json) {
    var input = parse(json);
    if (fn === 'decodeUplink') {
      if (typeof decodeUplink === 'function') return stringify({ result: decodeUplink(input) });
      if (typeof Decoder === 'function') return stringify({ result: { data: Decoder(input.bytes, input.fPort) } });
    } else if (fn === 'normalizeUplink') {
      // As TTS's wrapper: only beside a v3 decodeUplink, never after a v2 Decoder.
      if (typeof normalizeUplink === 'function' && typeof decodeUplink === 'function')
        return stringify({ result: normalizeUplink(input) });
    } else if (fn === 'encodeDownlink') {
      if (typeof encodeDownlink === 'function') return stringify({ result: encodeDownlink(input) });
      if (typeof Encoder === 'function') return stringify({ result: { bytes: Encoder(input.data, input.fPort) } });
    } else if (fn === 'decodeDownlink') {
      if (typeof decodeDownlink === 'function') return stringify({ result: decodeDownlink(input) });
    }
    return stringify({ missing: true });
  };
})();
`;
