import AttnBench
import ArgumentParser

// The sweep options as command-line words again, for the A/B gate, which runs each side's own binary as
// `attnbench sweep …`. Only options that `sweep` had when the A/B gate was written are emitted (an older
// revision must understand them); `--output` is left to the race.

extension ShapeOptions {
    /// The shape options as given (a revision older than `--preset` cannot race a preset, nor one older than
    /// the formats a format: only given options are passed on).
    var commandLine: [String] {
        var words: [String] = []
        if let dtype { words += ["--dtype", dtype.defaultValueDescription] }
        if let kvDtype { words += ["--kv-dtype", kvDtype.defaultValueDescription] }
        if let preset { return ["--preset", preset.rawValue] + words }
        if let seq { words += ["--seq", seq.defaultValueDescription] }
        if let seqKV { words += ["--seq-kv", seqKV.defaultValueDescription] }
        if let heads { words += ["--heads", heads.defaultValueDescription] }
        if let kvHeads { words += ["--kv-heads", kvHeads.defaultValueDescription] }
        if let headDim { words += ["--head-dim", String(headDim)] }
        if let batch { words += ["--batch", String(batch)] }
        if let causal { words += ["--causal", causal.rawValue] }
        return words
    }
}

extension RunOptions {
    var commandLine: [String] {
        var words = ["--kernels", kernels.defaultValueDescription, "--threads", threads.defaultValueDescription,
                     "--pin", pin.defaultValueDescription, "--schedule", schedule.rawValue,
                     "--repetitions", String(repetitions), "--min-time", String(minTime), "--warmup", String(warmup),
                     "--seed", String(seed), "--check-rows", String(checkRows), "--quiet"]
        if let maxMemory { words += ["--max-memory", String(maxMemory.bytes)] }
        if allowDebug { words.append("--allow-debug") }
        if noProbes { words.append("--no-probes") }  // only when asked: older revisions lack it
        return words
    }
}
