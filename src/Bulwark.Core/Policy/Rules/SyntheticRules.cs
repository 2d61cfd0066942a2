using System.Globalization;
using System.Text;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.KnownContent;

namespace Bulwark.Core.Policy.Rules;

/// <summary>
/// Seeded random rule sets and signal sets shaped like production ones, for the compiled-versus-interpreted property test
/// and the rule evaluation benchmark. Generated rules always type-check.
/// </summary>
internal static class SyntheticRules
{
    private static readonly string[] Policies = ["VE-THREAT", "VE-DOI", "VE-GLORIFY", "VE-INSTRUCT"];
    private static readonly string[] HashTypes = ["pdq", "vpdq", "md5", "sha256", "url"];
    private static readonly string[] Tiers = ["tier:terrorist_organisation", "tier:violent_extremist_organisation", "tier:violent_extremist_individual"];
    private static readonly string[] Classifiers = [ClassifierSignalTypes.For(ClassifierLabels.Threat), ClassifierSignalTypes.For(ClassifierLabels.Glorification), ClassifierSignalTypes.For(ClassifierLabels.Hate)];
    private static readonly string[] Kinds = ["video", "image", "text", "comment", "profile"];

    public static string Rules(Random rng, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var mode = rng.Next(10) switch { 0 => "shadow", 1 => "disabled", _ => "enforce" };
            var policy = Policies[rng.Next(Policies.Length)];
            var when = Condition(rng, 0);
            sb.Append(CultureInfo.InvariantCulture, $"rule r{i} {mode} {{\n  policy {policy}\n  when {when}\n");
            if (rng.Next(3) == 0) sb.Append(CultureInfo.InvariantCulture, $"  except research when {Condition(rng, 1)}\n");
            // Off-platform findings may only lead to an account review (the checker refuses automatic strikes on them).
            sb.Append("  then ").Append(when.Contains("findings", StringComparison.Ordinal) ? "review_account \"accounts\"" : rng.Next(4) switch
            {
                0 => "remove, strike",
                1 => "review \"q" + rng.Next(3) + "\" priority high",
                2 => "label \"context\"",
                _ => "review \"other\"",
            }).Append("\n}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A rule set shaped like a production one: every rule needs real evidence (a bank match within a distance, a high classifier
    /// score, a named entity, a time or place), as the shipped rules do, with thresholds and banks varied across rules.
    /// </summary>
    public static string ProductionLikeRules(Random rng, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var mode = rng.Next(10) == 0 ? "shadow" : "enforce";
            var policy = Policies[rng.Next(Policies.Length)];
            var (when, then) = rng.Next(6) switch
            {
                0 => ($"any hash.match[hash_type = \"{HashTypes[rng.Next(HashTypes.Length)]}\" and label \"{BehaviourLabels.All[rng.Next(BehaviourLabels.All.Count)]}\" and distance <= {rng.Next(10, 32)}]", "remove, strike"),
                1 => ($"max {Classifiers[rng.Next(Classifiers.Length)]}.score >= {N(0.7 + rng.NextDouble() * 0.29)}", $"review \"q{rng.Next(3)}\""),
                2 => ($"max {Classifiers[1]}.score >= {N(0.6 + rng.NextDouble() * 0.3)} and any {SignalSchema.EntityMention}[label \"{Tiers[rng.Next(Tiers.Length)]}\"]", "review \"doi\" priority high"),
                3 => ($"max {Classifiers[0]}.score >= {N(0.8 + rng.NextDouble() * 0.19)} and any {TimePlaceExtractor.SignalType}", "escalate \"threat-to-life\" priority high"),
                4 => ($"any {SignalSchema.EntityNameMatch}[score >= {N(0.9 + rng.NextDouble() * 0.09)}]", "review \"doi\""),
                _ => ($"max {Classifiers[2]}.score >= {N(0.75 + rng.NextDouble() * 0.2)} and content.kind = \"{Kinds[rng.Next(Kinds.Length)]}\"", "label \"context\""),
            };
            if (then.StartsWith("escalate", StringComparison.Ordinal)) policy = "VE-THREAT"; // the only policy with an escalation path
            sb.Append(CultureInfo.InvariantCulture, $"rule p{i} {mode} {{\n  policy {policy}\n  when {when}\n  then {then}\n}}\n");
        }
        return sb.ToString();
    }

    private static string Condition(Random rng, int depth)
    {
        if (depth < 2 && rng.Next(3) == 0)
            return $"({Condition(rng, depth + 1)} {(rng.Next(2) == 0 ? "and" : "or")} {Condition(rng, depth + 1)})";
        if (depth < 2 && rng.Next(8) == 0) return $"not {Condition(rng, depth + 1)}";
        return Atom(rng);
    }

    private static string N(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Atom(Random rng) => rng.Next(9) switch
    {
        0 => $"any hash.match[hash_type = \"{HashTypes[rng.Next(HashTypes.Length)]}\" and label \"{BehaviourLabels.All[rng.Next(BehaviourLabels.All.Count)]}\" and distance <= {rng.Next(0, 32)}]",
        1 => $"count hash.match[distance < {rng.Next(0, 32)}] >= {rng.Next(1, 3)}",
        2 => $"max {Classifiers[rng.Next(Classifiers.Length)]}.score >= {N(rng.NextDouble())}",
        3 => $"any {SignalSchema.EntityMention}[label \"{Tiers[rng.Next(Tiers.Length)]}\"{(rng.Next(2) == 0 ? "" : " and score >= " + N(rng.NextDouble()))}]",
        4 => $"any {TimePlaceExtractor.SignalType}[label \"{(rng.Next(2) == 0 ? "time" : "place")}\"]",
        5 => $"account.{(rng.Next(4) switch { 0 => "strikes", 1 => "policy_strikes", 2 => "linked_findings", _ => "findings" })} {(rng.Next(2) == 0 ? ">=" : "<")} {rng.Next(0, 5)}",
        6 => $"content.kind {(rng.Next(2) == 0 ? "=" : "!=")} \"{Kinds[rng.Next(Kinds.Length)]}\"",
        7 => $"min {SignalSchema.EntityNameMatch}.score <= {N(rng.NextDouble())}",
        _ => $"any hash.match[label_prefix \"{(rng.Next(2) == 0 ? "glor" : "context:")}\" or bank = \"bank{rng.Next(3)}\"]",
    };

    /// <summary>A signal set like one item's: media hashes, sometimes bank matches, classifier scores, entity and time/place signals.
    /// <paramref name="everyday"/> draws them as everyday traffic does (classifier scores mostly near 0, matches and mentions rare);
    /// otherwise every kind of evidence is common, so many rules fire.</summary>
    public static Signal[] Signals(Random rng, bool everyday = false)
    {
        // Everyday: 1 in 50 media matches a bank, 1 in 30 items names an entity, scores skew to 0 (P(score > 0.7) ≈ 6 %).
        bool Rare(int trigger, int everydayOdds) => rng.Next(everyday ? everydayOdds : trigger) == 0;
        double ClassifierScore() => everyday ? Math.Pow(rng.NextDouble(), 8) : rng.NextDouble();
        var list = new List<Signal>();
        var media = rng.Next(0, 3);
        for (var m = 0; m < media; m++)
        {
            list.Add(new Signal(SignalTypes.MediaHashes, "exact-hash", $"hashes of media[{m}]", Value: "sha256=…;md5=…"));
            list.Add(new Signal(SignalTypes.MediaPerceptual, "known-content", $"PDQ of media[{m}]", Value: "pdq=…", Score: rng.Next(50, 100)));
            if (Rare(4, 50))
                list.Add(new Signal(SignalTypes.HashMatch, "known-content", $"media[{m}] matches", Value: HashTypes[rng.Next(4)] + ":abc",
                    Distance: rng.Next(0, 32), Bank: "bank" + rng.Next(3), BankEntryId: rng.Next(1, 1000),
                    Labels: [BehaviourLabels.All[rng.Next(BehaviourLabels.All.Count)], .. rng.Next(5) == 0 ? new[] { "context:news-documentary" } : []]));
        }
        foreach (var c in Classifiers)
            if (rng.Next(3) != 0)
                list.Add(new Signal(c, "text-classifier:m@1", "score", Value: "text", Score: Math.Round(ClassifierScore(), 4), Labels: ["field:text", rng.Next(2) == 0 ? "fired" : "below-threshold"]));
        if (Rare(3, 30))
            list.Add(new Signal(SignalSchema.EntityMention, "entities", "mention", Value: "Synthetic Front", Score: Math.Round(rng.NextDouble(), 3),
                Labels: ["entity:e" + rng.Next(10), Tiers[rng.Next(Tiers.Length)], "field:text"]));
        if (Rare(5, 100))
            list.Add(new Signal(SignalSchema.EntityNameMatch, "entities", "name match", Value: "Synthetic Front", Score: Math.Round(rng.NextDouble(), 3),
                Labels: ["entity:e" + rng.Next(10), Tiers[rng.Next(Tiers.Length)]]));
        if (Rare(4, 10))
            list.Add(new Signal(TimePlaceExtractor.SignalType, "time-place", "time", Value: "tomorrow", Labels: [rng.Next(2) == 0 ? "time" : "place", "field:text"]));
        if (rng.Next(6) == 0) list.Add(new Signal(SignalTypes.Url, "url", "link", Value: "url=example.org;md5=…"));
        return list.ToArray();
    }

    public static RuleInput Input(Random rng, bool everyday = false)
    {
        var strikes = new Dictionary<string, double>();
        foreach (var p in Policies) if (rng.Next(everyday ? 50 : 4) == 0) strikes[p] = rng.Next(1, 4);
        var facts = everyday
            ? new AccountFacts(rng.Next(2) == 0, strikes.Values.Sum(), strikes, rng.Next(100) == 0 ? 1 : 0, rng.Next(500) == 0 ? 1 : 0)
            : new AccountFacts(rng.Next(2) == 0, strikes.Values.Sum(), strikes, rng.Next(0, 3), rng.Next(0, 2));
        return new RuleInput(Signals(rng, everyday), Kinds[rng.Next(Kinds.Length)], rng.Next(2) == 0 ? "en" : "it", "IT", "upload", rng.Next(0, 100000), facts);
    }
}
