// A std-only Rust port of the frame codec, for side-by-side speed figures.
// Built and run by bench/frame_core.ts (`deno task bench:core`); it prints one
// JSON object per case: {"case": "...", "ns": <nanoseconds per frame>}.
//
// It mirrors frame.rs: to_bytes allocates a Vec, from_bytes copies the body
// (to_vec); the view and encode-into cases are the zero-copy counterparts the
// TypeScript library offers.

use std::hint::black_box;
use std::time::Instant;

const HEADER: usize = 5;
const FRAMES: usize = 256;

fn known(t: u8) -> bool {
    matches!(
        t,
        0x01 | 0x02 | 0x10 | 0x11 | 0x12 | 0x14 | 0x20 | 0x21 | 0x22 | 0x23 | 0x30 | 0x40
            | 0x41 | 0x50 | 0x52 | 0x60 | 0x61 | 0x70 | 0x80 | 0x81 | 0x82 | 0x90 | 0x91
            | 0x92 | 0x93 | 0x94 | 0x95 | 0x96 | 0x97 | 0xff
    )
}

/// Header check: Some((type, body start, body end)) for a complete frame.
fn header(data: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    if data.len() < at + HEADER || !known(data[at]) {
        return None;
    }
    let len = u32::from_le_bytes(data[at + 1..at + 5].try_into().ok()?) as usize;
    let end = at + HEADER + len;
    if data.len() < end {
        return None;
    }
    Some((data[at], at + HEADER, end))
}

fn to_bytes(t: u8, body: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(HEADER + body.len());
    buf.push(t);
    buf.extend_from_slice(&(body.len() as u32).to_le_bytes());
    buf.extend_from_slice(body);
    buf
}

fn encode_into(t: u8, body: &[u8], out: &mut [u8]) -> usize {
    out[0] = t;
    out[1..5].copy_from_slice(&(body.len() as u32).to_le_bytes());
    out[HEADER..HEADER + body.len()].copy_from_slice(body);
    HEADER + body.len()
}

fn report(case: &str, iterations: usize, start: Instant) {
    let ns = start.elapsed().as_nanos() as f64 / iterations as f64;
    println!("{{\"case\": \"{case}\", \"ns\": {ns:.2}}}");
}

/// CRC-32C (Castagnoli), as the `crc32c` crate NodeDB uses computes it:
/// the SSE 4.2 instruction, 8 bytes at a time, when the CPU has it.
fn crc32c(data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("sse4.2") {
            // SAFETY: the feature was detected just above.
            return unsafe { crc32c_sse42(data) };
        }
    }
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0x82f6_3b78 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
unsafe fn crc32c_sse42(data: &[u8]) -> u32 {
    use std::arch::x86_64::{_mm_crc32_u64, _mm_crc32_u8};
    let mut crc = !0u64;
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        crc = _mm_crc32_u64(crc, u64::from_le_bytes(word.try_into().unwrap()));
    }
    let mut crc = crc as u32;
    for &byte in words.remainder() {
        crc = _mm_crc32_u8(crc, byte);
    }
    !crc
}

/// The 2026-07 header check, `[version=1][type][u32 LE length][u32 LE crc32c]`,
/// with the body's CRC-32C compared (the type table is 2026-04's: the cost is
/// the same).
fn header_2026_07(data: &[u8]) -> Option<(usize, usize)> {
    if data.len() < 10 || data[0] != 1 || !known(data[1]) {
        return None;
    }
    let len = u32::from_le_bytes(data[2..6].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(data[6..10].try_into().ok()?);
    if data.len() < 10 + len || crc32c(&data[10..10 + len]) != crc {
        return None;
    }
    Some((10, 10 + len))
}

fn crc_cases() {
    assert_eq!(crc32c(b"123456789"), 0xe306_9283);
    let body: Vec<u8> = (0..65536u32).map(|i| (i * 7) as u8).collect();
    let iterations = 20_000;
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(crc32c(black_box(&body)));
    }
    report("crc32c 64 KiB", iterations, start);

    let frames: Vec<Vec<u8>> = (0..64)
        .map(|i| {
            let body = vec![i as u8; 4096];
            let mut f = vec![1u8, 0x10];
            f.extend_from_slice(&(body.len() as u32).to_le_bytes());
            f.extend_from_slice(&crc32c(&body).to_le_bytes());
            f.extend_from_slice(&body);
            f
        })
        .collect();
    let iterations = 200_000;
    let start = Instant::now();
    for i in 0..iterations {
        let (s, e) = header_2026_07(black_box(&frames[i % 64])).unwrap();
        black_box(&frames[i % 64][s..e]);
    }
    report("decode 2026-07 4 KiB", iterations, start);
}

fn main() {
    crc_cases();
    for &size in &[16usize, 256, 4096, 65536] {
        let frames: Vec<Vec<u8>> = (0..FRAMES).map(|i| to_bytes(0x10, &vec![i as u8; size])).collect();
        let bodies: Vec<Vec<u8>> = (0..FRAMES).map(|i| vec![i as u8; size]).collect();
        let iterations = if size >= 4096 { 200_000 } else { 2_000_000 };

        let start = Instant::now();
        for i in 0..iterations {
            let (_, s, e) = header(black_box(&frames[i % FRAMES]), 0).unwrap();
            black_box(&frames[i % FRAMES][s..e]);
        }
        report(&format!("decode view {size} B"), iterations, start);

        let start = Instant::now();
        for i in 0..iterations {
            let (_, s, e) = header(black_box(&frames[i % FRAMES]), 0).unwrap();
            black_box(frames[i % FRAMES][s..e].to_vec());
        }
        report(&format!("decode copy {size} B"), iterations, start);

        let start = Instant::now();
        for i in 0..iterations {
            black_box(to_bytes(0x10, black_box(&bodies[i % FRAMES])));
        }
        report(&format!("encode (allocating) {size} B"), iterations, start);

        let mut out = vec![0u8; HEADER + size];
        let start = Instant::now();
        for i in 0..iterations {
            black_box(encode_into(0x10, black_box(&bodies[i % FRAMES]), &mut out));
        }
        report(&format!("encode into {size} B"), iterations, start);
    }

    // Header-only walk over 256 small frames kept in cache.
    let one = to_bytes(0xff, &[0u8; 16]);
    let buffer: Vec<u8> = (0..FRAMES).flat_map(|_| one.iter().copied()).collect();
    let rounds = 100_000;
    let start = Instant::now();
    for _ in 0..rounds {
        let mut at = 0;
        while let Some((_, _, end)) = header(black_box(&buffer), at) {
            at = end;
        }
        black_box(at);
    }
    report("header walk", rounds * FRAMES, start);
}
