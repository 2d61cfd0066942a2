using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using FsCheck.Xunit;

namespace Bulwark.Tests.Policy;

/// <summary>The rules language: errors with exact locations, the shipped rules, shadow mode, and compiled = interpreted.</summary>
public class RuleLanguageTests
{
    private static string Rule(string when, string then = "remove", string head = "rule a {", string extra = "") =>
        $"{head}\n  policy VE-GLORIFY\n  when {when}\n  then {then}\n{extra}}}\n";

    private static IReadOnlyList<string> Errors(params (string Name, string Text)[] files)
    {
        var set = RuleSet.Load(files.Select(f => new RuleFile(f.Name, f.Text)).ToList(), PolicyCatalogue.Default, SignalSchema.Default, out var errors);
        Assert.Equal(errors.Count == 0, set is not null);
        return errors.Select(e => e.ToString()).ToList();
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { Rule("any hash.matchx"), "t.rules:3:12: unknown signal type 'hash.matchx'" },
        { Rule("any hash.match[score >= 1]"), "t.rules:3:23: signal 'hash.match' has no field 'score' (fields: bank, distance, hash_type, source, value)" },
        { Rule("max classifier.threat.score"), "t.rules:3:12: the 'when' condition must be true or false, but this is a number" },
        { Rule("content.kind >= 3"), "t.rules:3:21: cannot compare a string with a number" },
        { Rule("content.kind >= \"video\""), "t.rules:3:21: only numbers can be ordered; strings support '=' and '!=' only" },
        { Rule("max classifier.threat.distance >= 1"), "t.rules:3:12: signal 'classifier.threat' has no field 'distance' (fields: score, source, value)" },
        { Rule("score >= 0.5"), "t.rules:3:8: signal field 'score' can only be used inside a signal filter" },
        { Rule("account.karma > 1"), "t.rules:3:8: unknown account field 'karma'" },
        { Rule("any hash.match[account.strikes > 1]"), "t.rules:3:23: a signal filter reads only the signal's own fields" },
        { Rule("any hash.match and"), "t.rules:4:3: expected a condition, found 'then'" },
        { Rule("any hash.match & true"), "t.rules:3:23: unexpected character '&'" },
        { Rule("any hash.match[label \"x]"), "t.rules:3:29: unterminated string" },
        { Rule("any hash.match", "obliterate"), "t.rules:4:8: unknown outcome 'obliterate'" },
        { Rule("any hash.match", "escalate \"threat-to-life\""), "t.rules:4:8: policy VE-GLORIFY has no escalation path" },
        { Rule("account.linked_findings >= 1", "review \"x\", ban"), "t.rules:4:20: 'ban' cannot be automatic on off-platform findings" },
        { Rule("any account.ban_evasion[score >= 0.7]", "suspend"), "t.rules:4:8: 'suspend' cannot be automatic on account.ban_evasion: use review_account so a person confirms" },
        { Rule("any hash.match and any account.ban_evasion", "remove, ban"), "t.rules:4:16: 'ban' cannot be automatic on account.ban_evasion" },
        { Rule("any hash.match", "remove, remove"), "t.rules:4:16: outcome 'remove' is listed twice" },
        { Rule("any hash.match", extra: "  except satire when true\n"), "t.rules:5:10: policy VE-GLORIFY has no exception 'satire'" },
        { Rule("any hash.match", head: "rule a sometimes {"), "t.rules:1:8: unknown rule mode 'sometimes'" },
        { Rule("any hash.match", "remove priority high"), "t.rules:4:15: 'priority' only applies to review, review_account and escalate" },
        { "rule a {\n  policy VE-GLORIFY\n  when any hash.match\n}\n", "t.rules:4:1: rule 'a' has no 'then' clause" },
        { "rule a {\n  policy VE-NOPE\n  when any hash.match\n  then remove\n}\n", "t.rules:2:10: unknown policy 'VE-NOPE'" },
        { "policy VE-GLORIFY", "t.rules:1:1: expected 'rule', found 'policy'" },
        // 'policy none' asserts no violation (a notice): it may only ask a person to look (issue 17).
        { Rule("any notice.received").Replace("VE-GLORIFY", "none"), "t.rules:4:8: 'remove' needs a policy: a rule with 'policy none' may only route to review" },
        { Rule("any notice.received", "review \"notices\", strike").Replace("VE-GLORIFY", "none"), "t.rules:4:26: 'strike' needs a policy" },
        { Rule("any notice.received", "review \"notices\"", extra: "  except news-documentary when true\n").Replace("VE-GLORIFY", "none"), "t.rules:5:10: a rule with 'policy none' has no exceptions" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Errors_name_the_file_line_and_column(string source, string expected)
    {
        var errors = Errors(("t.rules", source));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Deep_nesting_and_huge_conditions_are_errors_not_stack_overflows()
    {
        var deep = Errors(("t.rules", Rule(new string('(', 5000) + "true" + new string(')', 5000))));
        Assert.StartsWith("t.rules:3:72: condition nested more than 64 levels deep", Assert.Single(deep));
        var nots = Errors(("t.rules", Rule(string.Concat(Enumerable.Repeat("not ", 5000)) + "true")));
        Assert.Contains("condition nested more than 64 levels deep", Assert.Single(nots));
        var wide = Errors(("t.rules", Rule(string.Join(" and ", Enumerable.Repeat("true", 50_000)))));
        Assert.Contains("rule too large: more than 1000 terms", Assert.Single(wide));
    }

    [Fact]
    public void Every_error_is_reported_across_files_and_duplicate_names_point_at_the_first()
    {
        var errors = Errors(("a.rules", Rule("any nope.signal")), ("b.rules", Rule("any hash.match", head: "rule b1 {") + Rule("content.kind = 1", head: "rule b2 {")), ("c.rules", Rule("any hash.match")));
        Assert.Equal(
        [
            "a.rules:3:12: unknown signal type 'nope.signal' (known: " + string.Join(", ", SignalSchema.Default.SignalTypeNames) + ")",
            "b.rules:8:21: cannot compare a string with a number",
            "c.rules:1:1: rule 'a' is already defined at a.rules:1:1",
        ], errors);
    }

    [Fact]
    public void The_shipped_catalogue_and_rules_load()
    {
        var set = RuleSet.Shipped();
        Assert.Equal(["VE-THREAT", "VE-DOI", "VE-GLORIFY", "VE-INSTRUCT"], set.Catalogue.Policies!.Select(p => p.Id));
        Assert.All(set.Catalogue.Policies!, p => Assert.Equal(5, p.Exceptions!.Count));
        Assert.Contains(set.Rules, r => r.Mode == RuleMode.Shadow);
        Assert.Equal("threat-to-life", set.Catalogue.Find("VE-THREAT")!.Escalation);
    }

    [Fact]
    public void An_invalid_catalogue_reports_every_problem()
    {
        var json = PolicyCatalogue.DefaultJson.Replace("\"STATEMENT_CATEGORY_VIOLENCE\"", "\"STATEMENT_CATEGORY_VIOLENT\"").Replace("\"terroristContentGrounds\": [\"a\"]", "\"terroristContentGrounds\": [\"f\"]");
        Assert.Null(PolicyCatalogue.Parse(json, out var errors));
        Assert.Contains(errors, e => e.StartsWith("policies[0].dsaCategory: 'STATEMENT_CATEGORY_VIOLENT' is not a known statement category", StringComparison.Ordinal));
        Assert.Contains("policies[2].terroristContentGrounds: 'f' is not one of a–e (Art. 2(7) Reg. 2021/784)", errors);
    }

    // ---- the four example rules of the issue, through the shipped rule set ----

    private static readonly EnforcementOptions Options = new();

    private static Decision Decide(IReadOnlyList<Signal> signals, AccountFacts? facts = null, RuleSet? set = null, string kind = "video", string? account = "acct-1")
    {
        set ??= RuleSet.Shipped();
        var input = new RuleInput(signals, kind, "en", "IT", "upload", 0, facts ?? AccountFacts.None);
        var hits = new List<RuleHit>();
        set.Evaluate(input, hits);
        return DecisionBuilder.Build(set, hits, input, "c1", account, Options);
    }

    private static Signal Pdq(int distance, params string[] labels) =>
        new(SignalTypes.HashMatch, "known-content", $"media[0] pdq is within distance {distance} of entry 7", Value: "pdq:ab", Distance: distance, Bank: "b", BankEntryId: 7, Labels: labels);

    private static Signal Score(string label, double score) => new("classifier." + label, "text-classifier:m@1", $"text: {label} probability {score}", Value: "text", Score: score, Labels: ["field:text"]);

    [Fact]
    public void A_pdq_match_labelled_glorification_within_20_is_removed_and_struck_automatically()
    {
        var d = Decide([Pdq(12, "glorification-of-terrorist-acts")]);
        Assert.Equal((Outcomes.Remove, "VE-GLORIFY", true), (d.Outcome, d.Policy, d.Automated));
        Assert.Equal(["content.remove", "account.strike"], d.Actions.Select(a => a.Kind));
        Assert.Equal("1", d.Actions[1].Details!["weight"]);
        Assert.Contains("glorify-known-pdq", d.Rules);
        var fired = Assert.Single(d.Fired, f => f.Rule == "glorify-known-pdq");
        Assert.Equal(["hash.match: media[0] pdq is within distance 12 of entry 7"], fired.Inputs);

        // Beyond distance 20 the same entry only goes to review.
        var far = Decide([Pdq(25, "glorification-of-terrorist-acts")]);
        Assert.Equal((Outcomes.Review, "known-content"), (far.Outcome, far.Queue));
        Assert.Empty(far.Actions);
    }

    [Fact]
    public void The_news_documentary_exception_stops_the_removal_and_is_recorded()
    {
        var d = Decide([Pdq(3, "glorification-of-terrorist-acts", "context:news-documentary")]);
        Assert.Equal("news-documentary", d.Exception);
        Assert.DoesNotContain(d.Actions, a => a.Kind is "content.remove" or "account.strike");
        Assert.Equal("news or documentary context", Assert.Single(d.Actions, a => a.Kind == "content.label").Details!["text"]);
        Assert.Equal(Outcomes.Review, d.Outcome); // the catch-all known-content rule still asks a person
    }

    [Fact]
    public void A_designated_organisation_in_the_caption_with_glorification_goes_to_the_doi_queue_with_high_priority()
    {
        var mention = new Signal(SignalSchema.EntityMention, "entities", "text names Synthetic Front", Value: "Synthetic Front", Score: 1,
            Labels: ["entity:e1", "tier:terrorist_organisation", "field:text"]);
        var d = Decide([mention, Score("glorification", 0.75)]);
        Assert.Equal((Outcomes.Review, "doi", "high", "VE-DOI"), (d.Outcome, d.Queue, d.Priority, d.Policy));
        // Without glorifying language the mention alone still reaches a person, at normal priority.
        var plain = Decide([mention, Score("glorification", 0.65)]);
        Assert.Equal((Outcomes.Review, "doi", "normal"), (plain.Outcome, plain.Queue, plain.Priority));
        Assert.Equal(Outcomes.NoAction, Decide([Score("glorification", 0.75)]).Outcome);
        // Other approved organisations reach a person too, at low priority; an individual's name alone does not.
        var violentOnly = mention with { Labels = ["entity:e2", "tier:violent_extremist_organisation", "field:text"] };
        Assert.Equal((Outcomes.Review, "doi", "low"), Decide([violentOnly, Score("glorification", 0.65)]) is var v ? (v.Outcome, v.Queue, v.Priority) : default);
        var hateful = mention with { Labels = ["entity:e3", "tier:hateful_organisation", "field:bio"] };
        Assert.Equal((Outcomes.Review, "doi", "low"), Decide([hateful]) is var h ? (h.Outcome, h.Queue, h.Priority) : default);
        var individual = mention with { Labels = ["entity:e4", "tier:violent_extremist_individual", "field:text"] };
        Assert.Equal(Outcomes.NoAction, Decide([individual]).Outcome);
    }

    [Fact]
    public void A_threat_naming_a_time_or_place_escalates_to_threat_to_life()
    {
        var time = new Signal(TimePlaceExtractor.SignalType, "time-place", "text names a time: \"tomorrow\"", Value: "tomorrow", Labels: ["time", "field:text"]);
        var d = Decide([Score("threat", 0.93), time]);
        Assert.Equal((Outcomes.Escalate, "threat-to-life", "high", "VE-THREAT"), (d.Outcome, d.Queue, d.Priority, d.Policy));
        Assert.Equal((Outcomes.Review, "threat"), (Decide([Score("threat", 0.93)]).Outcome, Decide([Score("threat", 0.93)]).Queue));
        Assert.Equal(Outcomes.NoAction, Decide([Score("threat", 0.89), time]).Outcome);
    }

    private static Signal Speech(string kind, double score, params string[] labels) =>
        new("speech." + kind, "violent-speech", $"text: {kind} {score:0.00} by the violent-speech analyser: first person future 'stab' + target 'the teacher'",
            Value: "text", Score: score, Labels: ["field:text", "lang:en", score >= 0.5 ? "fired" : "below-threshold", .. labels]);

    [Fact]
    public void An_explicit_threat_naming_a_time_or_place_is_restricted_at_once_and_escalated_and_the_inputs_name_the_detector()
    {
        var d = Decide([Speech("threat", 0.95, "time", "place")]);
        Assert.Equal((Outcomes.Escalate, "threat-to-life", "high", "VE-THREAT"), (d.Outcome, d.Queue, d.Priority, d.Policy));
        Assert.Contains(d.Actions, a => a.Kind == "content.remove");
        var fired = Assert.Single(d.Fired, f => f.Rule == "threat-to-life-explicit");
        Assert.Contains(fired.Inputs, i => i.StartsWith("speech.threat: text: threat 0.95 by the violent-speech analyser: first person future 'stab'", StringComparison.Ordinal));
        // A call to attack a named place is escalated the same way.
        var call = Decide([Speech("incitement", 0.9, "place")]);
        Assert.Equal((Outcomes.Escalate, "threat-to-life"), (call.Outcome, call.Queue));
        // Without a time or place a confident threat goes to the threat queue first; a weaker one at normal priority; a
        // reported or questioned threat (its score multiplied down) to nobody.
        var plain = Decide([Speech("threat", 0.9)]);
        Assert.Equal((Outcomes.Review, "threat", "high"), (plain.Outcome, plain.Queue, plain.Priority));
        Assert.DoesNotContain(plain.Actions, a => a.Kind == "content.remove");
        var weaker = Decide([Speech("threat", 0.6, "time")]);
        Assert.Equal((Outcomes.Review, "threat", "normal"), (weaker.Outcome, weaker.Queue, weaker.Priority));
        Assert.Equal(Outcomes.NoAction, Decide([Speech("threat", 0.3, "time", "reported")]).Outcome);
    }

    [Fact]
    public void Glorification_and_support_found_by_the_analyser_reach_their_queues()
    {
        var praise = Decide([Speech("glorification", 0.7)]);
        Assert.Equal((Outcomes.Review, "glorification", "VE-GLORIFY"), (praise.Outcome, praise.Queue, praise.Policy));
        var support = Decide([Speech("support", 0.9, "recruitment")]);
        Assert.Equal((Outcomes.Review, "doi", "high", "VE-DOI"), (support.Outcome, support.Queue, support.Priority, support.Policy));
        Assert.Equal(Outcomes.NoAction, Decide([Speech("glorification", 0.45), Speech("support", 0.45)]).Outcome);
    }

    [Fact]
    public void An_off_platform_link_to_a_designated_entity_sends_the_account_to_review_never_to_a_ban()
    {
        var facts = new AccountFacts(true, 0, new Dictionary<string, double>(), Findings: 1, LinkedFindings: 1);
        var d = Decide([], facts);
        Assert.Equal((Outcomes.Review, "account-ban", "VE-DOI"), (d.Outcome, d.Queue, d.Policy));
        Assert.DoesNotContain(d.Actions, a => a.Kind is "account.ban" or "account.suspend");
        Assert.Contains("account.linked_findings = 1", Assert.Single(d.Fired).Inputs);
        Assert.Equal(Outcomes.NoAction, Decide([], facts with { LinkedFindings = 0 }).Outcome);
    }

    private static Signal Notice(string source) =>
        new(Bulwark.Core.Signals.Notices.NoticeSignalTypes.Received, "notice", Bulwark.Core.Signals.Notices.NoticeExtractor.Explain(source, "Example Org", "REF-1"),
            Value: source, Labels: [$"source:{source}"]);

    [Fact]
    public void A_notice_that_no_detector_flags_reaches_a_person_in_its_queue()
    {
        foreach (var source in new[] { "user_report", "trusted_flagger", "partner_alert" })
        {
            var d = Decide([Notice(source)]);
            Assert.Equal((Outcomes.Review, "notices", "low"), (d.Outcome, d.Queue, d.Priority));
            Assert.Empty(d.Actions);
        }
        var order = Decide([Notice("authority_order")]);
        Assert.Equal((Outcomes.Review, "authority-orders", "high", "notice-authority-order"), (order.Outcome, order.Queue, order.Priority, Assert.Single(order.Rules)));
        Assert.Empty(order.Actions); // a person carries the order out; nothing is removed implicitly
        Assert.Contains("notice.received: An authority ordered action on the item (Example Org), reference REF-1", order.Explanation);
        // A reporting user is never named.
        Assert.Equal("A user reported the item, reference R-9", Bulwark.Core.Signals.Notices.NoticeExtractor.Explain("user_report", "Some Person", "R-9"));
    }

    [Fact]
    public void A_detector_keeps_its_queue_over_a_notice_and_an_authority_order_keeps_its_queue_over_a_detector()
    {
        // A reported threat goes where the threat rules send it: the higher priority of two reviews wins.
        var reported = Decide([Notice("user_report"), Speech("threat", 0.6)]);
        Assert.Equal((Outcomes.Review, "threat", "normal", "VE-THREAT"), (reported.Outcome, reported.Queue, reported.Priority, reported.Policy));
        Assert.Contains("notice-user-report", reported.Rules);
        // Two low-priority reviews: the earlier rule keeps the item (doi before notices).
        var hateful = new Signal(SignalSchema.EntityMention, "entities", "text names Example Hate Brotherhood", Value: "Example Hate Brotherhood", Score: 1,
            Labels: ["entity:e3", "tier:hateful_organisation", "field:text"]);
        Assert.Equal("doi", Decide([Notice("trusted_flagger"), hateful]).Queue);
        // An authority order keeps its one-hour queue even beside a high-priority detector review.
        var ordered = Decide([Notice("authority_order"), Speech("support", 0.8)]);
        Assert.Equal((Outcomes.Review, "authority-orders", "high"), (ordered.Outcome, ordered.Queue, ordered.Priority));
        // Severity still comes first: an escalation beats any review.
        Assert.Equal((Outcomes.Escalate, "threat-to-life"), Decide([Notice("authority_order"), Speech("threat", 0.95, "time")]) is var e ? (e.Outcome, e.Queue) : default);
    }

    [Fact]
    public void Between_two_reviews_the_higher_priority_takes_the_item()
    {
        // Before, the first rule in file order kept the queue: glorification (normal) over a confident threat (high).
        var d = Decide([Speech("glorification", 0.6), Speech("threat", 0.9)]);
        Assert.Equal((Outcomes.Review, "threat", "high", "VE-THREAT"), (d.Outcome, d.Queue, d.Priority, d.Policy));
    }

    [Fact]
    public void A_ban_evasion_signal_is_recorded_as_the_signal_it_is_not_as_an_account_fact()
    {
        // account.ban_evasion is a signal type, not an account field: its evidence is the signal and its explanation.
        var evasion = new Signal(Bulwark.Core.Signals.Accounts.BanEvasionExtractor.SignalType, "ban-evasion",
            "shares a device identifier with banned account acct-9", Value: "device", Score: 0.9, Labels: ["identifier:device", "policy:VE-DOI", "measure:ban"]);
        var d = Decide([evasion]);
        var fired = Assert.Single(d.Fired, f => f.Rule == "ban-evasion-doi");
        Assert.Equal(["account.ban_evasion: shares a device identifier with banned account acct-9"], fired.Inputs);
    }

    [Fact]
    public void Strikes_crossing_the_thresholds_suspend_and_then_ban()
    {
        var two = new AccountFacts(true, 2, new Dictionary<string, double> { ["VE-GLORIFY"] = 2 }, 0, 0);
        var d = Decide([Pdq(0, "glorification-of-terrorist-acts")], two);
        Assert.Equal("7", Assert.Single(d.Actions, a => a.Kind == "account.suspend").Details!["days"]);
        var four = two with { Strikes = 4 };
        var banned = Decide([Pdq(0, "glorification-of-terrorist-acts")], four);
        Assert.Contains(banned.Actions, a => a.Kind == "account.ban");
        Assert.DoesNotContain(banned.Actions, a => a.Kind == "account.suspend");
    }

    [Fact]
    public void Shadow_rules_are_recorded_but_act_on_nothing_while_the_same_rule_enforced_acts()
    {
        var text = Rule("max classifier.glorification.score >= 0.9", "remove, strike", head: "rule candidate shadow {");
        var shadow = RuleSet.Load([new RuleFile("s.rules", text)], PolicyCatalogue.Default, SignalSchema.Default, out _)!;
        var d = Decide([Score("glorification", 0.95)], set: shadow);
        Assert.Equal(Outcomes.NoAction, d.Outcome);
        Assert.Empty(d.Actions);
        Assert.Empty(d.Rules);
        var s = Assert.Single(d.Shadow);
        Assert.Equal(("candidate", "VE-GLORIFY"), (s.Rule, s.Policy));
        Assert.Equal(["remove", "strike"], s.Outcomes);
        Assert.Contains("Shadow (not acted on): candidate would remove, strike.", d.Explanation);

        var enforce = RuleSet.Load([new RuleFile("e.rules", text.Replace(" shadow {", " enforce {"))], PolicyCatalogue.Default, SignalSchema.Default, out _)!;
        var e = Decide([Score("glorification", 0.95)], set: enforce);
        Assert.Equal(Outcomes.Remove, e.Outcome);
        Assert.Equal(["content.remove", "account.strike"], e.Actions.Select(a => a.Kind));
        Assert.Empty(e.Shadow);

        var disabled = RuleSet.Load([new RuleFile("d.rules", text.Replace(" shadow {", " disabled {"))], PolicyCatalogue.Default, SignalSchema.Default, out _)!;
        var x = Decide([Score("glorification", 0.95)], set: disabled);
        Assert.Equal((Outcomes.NoAction, 0, 0), (x.Outcome, x.Fired.Count, x.Shadow.Count));
    }

    [Fact]
    public void Account_actions_without_an_account_are_skipped_with_a_note()
    {
        var d = Decide([Pdq(0, "glorification-of-terrorist-acts")], account: null);
        Assert.Equal(["content.remove"], d.Actions.Select(a => a.Kind));
        Assert.Contains("names 'strike', but the event names no account", d.Explanation);
    }

    [Fact]
    public void Time_and_place_expressions_are_found_in_english_and_italian()
    {
        Assert.Equal(("tomorrow", "at the school"), TimePlaceExtractor.Find("I will be at the school tomorrow"));
        Assert.Equal(("at 3pm", null), TimePlaceExtractor.Find("see you at 3pm"));
        Assert.Equal(("domani", "davanti alla stazione"), TimePlaceExtractor.Find("domani davanti alla stazione"));
        Assert.Equal(("alle 15", null), TimePlaceExtractor.Find("ci vediamo alle 15"));
        Assert.Equal((null, null), TimePlaceExtractor.Find("a quiet afternoon with schoolbooks"));
    }

    // ---- compiled delegates equal the tree-walking interpreter ----

    [Property(MaxTest = 60)]
    public bool Compiled_rules_equal_the_interpreter_on_random_signal_sets(int seed)
    {
        var rng = new Random(seed);
        var set = RuleSet.Load([new RuleFile("gen.rules", SyntheticRules.Rules(rng, 30))], PolicyCatalogue.Default, SignalSchema.Default, out var errors);
        Assert.True(set is not null, string.Join("\n", errors));
        var shipped = RuleSet.Shipped();
        var compiled = new List<RuleHit>();
        var interpreted = new List<RuleHit>();
        for (var i = 0; i < 40; i++)
        {
            var input = SyntheticRules.Input(rng);
            foreach (var s in new[] { set!, shipped })
            {
                compiled.Clear();
                interpreted.Clear();
                s.Evaluate(input, compiled);
                s.Interpret(input, interpreted);
                Assert.Equal(interpreted.Select(h => (h.Rule.Name, h.Exception?.Id)), compiled.Select(h => (h.Rule.Name, h.Exception?.Id)));
            }
        }
        return true;
    }
}
