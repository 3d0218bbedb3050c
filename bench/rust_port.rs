// A std-only Rust port of the frame codec, for side-by-side speed figures.
// Built and run by bench/rust_compare.ts (`deno task bench:rust`); it prints one
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

fn main() {
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
