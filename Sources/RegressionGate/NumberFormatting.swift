import Results
/// Fixed-point formatting without Foundation, for the report renderers.
enum NumberFormatting {
    /// `x` rounded half away from zero to `digits` decimals, e.g. `fixed(1.23456, 3) == "1.235"`.
    /// Non-finite values print as `nan`, `inf`, `-inf`.
    static func fixed(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return "\(x)" }   // beyond exact integers: rare, keep it correct
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var text = (x < 0 && units != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// A measurement with a precision that suits its magnitude (about 4–5 significant digits).
    static func measurement(_ x: Double) -> String {
        let magnitude = abs(x)
        let digits: Int
        switch magnitude {
        case 1000...: digits = 1
        case 100..<1000: digits = 2
        case 1..<100: digits = 3
        case 0.01..<1: digits = 5
        default: digits = 7
        }
        return fixed(x, digits: digits)
    }

    /// A ratio or interval end, four decimals.
    static func ratio(_ x: Double) -> String { fixed(x, digits: 4) }

    /// A p-value, four decimals, or `<0.0001`.
    static func pValue(_ p: Double) -> String {
        p < 0.0001 ? "<0.0001" : fixed(p, digits: 4)
    }

    /// A fraction as a percentage, e.g. `percent(0.05) == "5%"`, `percent(0.025) == "2.5%"`.
    static func percent(_ x: Double) -> String {
        var text = fixed(x * 100, digits: 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// Full round-trip precision for CSV; empty for NaN.
    static func exact(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }
}
