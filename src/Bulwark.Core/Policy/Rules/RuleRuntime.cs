using Bulwark.Core.Signals;

namespace Bulwark.Core.Policy.Rules;

/// <summary>The account facts rules can read, loaded once per decision.</summary>
public sealed record AccountFacts(bool Known, double Strikes, IReadOnlyDictionary<string, double> PolicyStrikes, int Findings, int LinkedFindings)
{
    public static AccountFacts None { get; } = new(false, 0, new Dictionary<string, double>(), 0, 0);
    public double StrikesFor(string policy) => PolicyStrikes.TryGetValue(policy, out var w) ? w : 0;
}

/// <summary>Everything one evaluation reads: the version's signals, facts about the content and about its account.</summary>
public sealed class RuleInput(IReadOnlyList<Signal> signals, string? kind, string? language, string? region, string? source, double views, AccountFacts account)
{
    public Signal[] Signals { get; } = signals as Signal[] ?? signals.ToArray();
    public string? Kind { get; } = kind;
    public string? Language { get; } = language;
    public string? Region { get; } = region;
    public string? Source { get; } = source;
    public double Views { get; } = views;
    public AccountFacts Account { get; } = account;
}

/// <summary>
/// The operations the compiled delegates call and the interpreter uses, so both give the same answer by construction
/// where they share code and the property test checks the rest. A missing number is NaN: every ordered comparison with it
/// is false, so "score ≥ 0.9" never holds for a signal without a score.
/// </summary>
public static class RuleRuntime
{
    public static bool Any(Signal[] signals, string type, Func<Signal, bool>? filter)
    {
        foreach (var s in signals)
            if (string.Equals(s.Type, type, StringComparison.Ordinal) && (filter is null || filter(s))) return true;
        return false;
    }

    public static double Count(Signal[] signals, string type, Func<Signal, bool>? filter)
    {
        var n = 0;
        foreach (var s in signals)
            if (string.Equals(s.Type, type, StringComparison.Ordinal) && (filter is null || filter(s))) n++;
        return n;
    }

    /// <summary>Largest (or smallest) value of a numeric field over matching signals that have it; NaN when none has.</summary>
    public static double Extreme(Signal[] signals, string type, string field, bool max, Func<Signal, bool>? filter)
    {
        var best = double.NaN;
        foreach (var s in signals)
        {
            if (!string.Equals(s.Type, type, StringComparison.Ordinal) || (filter is not null && !filter(s))) continue;
            var v = Number(s, field);
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(best) || (max ? v > best : v < best)) best = v;
        }
        return best;
    }

    public static double Number(Signal s, string field) => field switch
    {
        SignalSchema.Score => s.Score ?? double.NaN,
        SignalSchema.Distance => s.Distance is { } d ? d : double.NaN,
        _ => double.NaN,
    };

    public static double Score(Signal s) => s.Score ?? double.NaN;
    public static double Distance(Signal s) => s.Distance is { } d ? d : double.NaN;

    public static string? Text(Signal s, string field) => field switch
    {
        SignalSchema.Bank => s.Bank,
        SignalSchema.Value => s.Value,
        SignalSchema.Source => s.Source,
        SignalSchema.HashType => HashType(s),
        _ => null,
    };

    /// <summary>The signal type of a bank match (<c>pdq</c>, <c>md5</c>, <c>url</c>…): the prefix of its value.</summary>
    public static string? HashType(Signal s)
    {
        var v = s.Value;
        if (v is null) return null;
        var colon = v.IndexOf(':');
        return colon > 0 ? v[..colon] : null;
    }

    public static bool HasLabel(Signal s, string label)
    {
        if (s.Labels is not { } labels) return false;
        for (var i = 0; i < labels.Count; i++)
            if (string.Equals(labels[i], label, StringComparison.Ordinal)) return true;
        return false;
    }

    public static bool HasLabelPrefix(Signal s, string prefix)
    {
        if (s.Labels is not { } labels) return false;
        for (var i = 0; i < labels.Count; i++)
            if (labels[i].StartsWith(prefix, StringComparison.Ordinal)) return true;
        return false;
    }

    public static bool StringEquals(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    public static string? ContentText(RuleInput input, string field) => field switch
    {
        "kind" => input.Kind,
        "language" => input.Language,
        "region" => input.Region,
        "source" => input.Source,
        _ => null,
    };
}
