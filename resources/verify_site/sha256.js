/* SHA-256 in plain JavaScript, for a page served over plain http, where browsers give no
   crypto.subtle. Used only by app.js; window.taphuanSha256(bytes) -> hex string. */
(function () {
  "use strict";
  var K = [];
  var H0 = [];
  (function constants() {
    // The first 32 bits of the fractional parts of the square roots (H0) and cube roots
    // (K) of the first 8 and 64 primes (FIPS 180-4, 4.2.2 and 5.3.3).
    var found = 0;
    for (var n = 2; found < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) {
        if (n % d === 0) { prime = false; break; }
      }
      if (!prime) continue;
      if (found < 8) H0[found] = (Math.pow(n, 1 / 2) % 1) * 4294967296 | 0;
      K[found] = (Math.pow(n, 1 / 3) % 1) * 4294967296 | 0;
      found++;
    }
  })();

  function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256(bytes) {
    var length = bytes.length;
    var total = Math.ceil((length + 9) / 64) * 64;
    var m = new Uint8Array(total);
    m.set(bytes);
    m[length] = 0x80;
    var view = new DataView(m.buffer);
    view.setUint32(total - 8, Math.floor(length / 0x20000000));
    view.setUint32(total - 4, (length * 8) >>> 0);
    var h = H0.slice();
    var w = new Array(64);
    for (var off = 0; off < total; off += 64) {
      var i;
      for (i = 0; i < 16; i++) w[i] = view.getUint32(off + 4 * i) | 0;
      for (i = 16; i < 64; i++) {
        var x = w[i - 15];
        var y = w[i - 2];
        var s0 = ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
        var s1 = ror(y, 17) ^ ror(y, 19) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = "";
    for (var j = 0; j < 8; j++) out += ("0000000" + (h[j] >>> 0).toString(16)).slice(-8);
    return out;
  }

  window.taphuanSha256 = sha256;
})();
