//! Helpers shared by the fuzz targets.

/// `btoa` over bytes (standard alphabet, `=` padding), so a target can reach the JSON reader
/// behind the state's base64 layer with bytes libFuzzer mutates directly.
pub fn btoa(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(A[((n >> (18 - 6 * i)) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

/// Splits `data` at `\n` into at most `n` lossily-decoded strings (missing ones are `None`).
pub fn pieces(data: &[u8], n: usize) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = data
        .splitn(n, |&b| b == b'\n')
        .map(|p| Some(String::from_utf8_lossy(p).into_owned()))
        .collect();
    out.resize(n, None);
    out
}
