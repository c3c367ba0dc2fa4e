/**
 * The young generation of the ingest's worker threads (parse, extraction, index), in MiB (issue 15 item 3).
 * V8 grows a busy thread's young generation (its two semi-spaces and the new large-object space, three
 * semi-spaces in all) up to 48 MiB by default (16 MiB semi-spaces), and every ingest thread allocates fast
 * and briefly (messages, decoded parts, tokens), so each kept that much resident: ≈ 100 MiB of the ingest's
 * peak came from young generations. At 12 MiB (4 MiB semi-spaces) a scavenge comes sooner and finds less
 * alive, with the same CPU time within this machine's noise. Measured alternating on the generated archives
 * (README, Benchmarks, fifteenth session): peak RSS 100 MiB 422–428 → 338–345, 1 GiB 544–560 → 437–465,
 * 2 GiB 580 → 481 MiB. The main thread keeps V8's default: its heap is configured before any code runs.
 */
export const WORKER_YOUNG_GENERATION_MB = 12;
