using System.Text.Json;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Policy;

/// <summary><c>bulwark classifier eval</c> on a policy CSV: the text stage and the shipped rules, counted per class and language.</summary>
public class TextStageEvaluatorTests
{
    private const string Csv = """
        label,lang,text,class
        violating,en,"I'm going to shoot up the school tomorrow.",threat-time-place
        violating,it,"Ti ammazzo domani davanti alla scuola, so dove abiti.",threat-time-place
        violating,en,"Long live the Islamic State, the soldiers of the caliphate are lions and heroes.",glorification
        benign,en,"wow nice",short
        benign,en,user4,short
        benign,en,"Lovely sunset at the beach with my family.",
        benign,it,"Che bella partita ieri sera, grazie a tutti!",
        """;

    private static readonly ISignalExtractor[] TextStage =
        [new TextClassifierExtractor(ClassifierRegistry.FromOptions(new ClassifierOptions()), new ClassifierOptions()), new TimePlaceExtractor()];

    private static async Task<PolicyEvalReport> Run(string csv, params ISignalExtractor[] extractors)
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-eval-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        try
        {
            var items = TextStageEvaluator.Read(path);
            return await TextStageEvaluator.EvaluateAsync(items, extractors.Length == 0 ? TextStage : extractors, RuleSet.Shipped(), new EnforcementOptions(), "test.csv");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Counts_what_the_shipped_rules_decide_per_class_and_language()
    {
        var report = await Run(Csv);
        Assert.Equal(7, report.Items);
        Assert.Equal(["text-classifier", "time-place"], report.Extractors);
        var threatEn = Assert.Single(report.Groups, g => g is { Class: "threat-time-place", Language: "en" });
        Assert.Equal((1, 1), (threatEn.Items, threatEn.Escalated));
        Assert.Equal(1.0, threatEn.EscalatedRate!.Value);
        Assert.Equal(1.0, threatEn.Caught!.Value);
        var benignEn = Assert.Single(report.Groups, g => g is { Label: "benign", Class: "*", Language: "en" });
        Assert.Equal((3, 3), (benignEn.Items, benignEn.Nothing));
        Assert.Equal(0, benignEn.SentAnywhere!.Count);
        Assert.Null(benignEn.Caught);
        var violating = report.Groups.Where(g => g is { Label: "violating", Class: "*" }).ToList();
        Assert.Equal(["en", "it"], violating.Select(g => g.Language));
        Assert.Equal(3, violating.Sum(g => g.Items));
        // Every item is counted in exactly one outcome column.
        Assert.All(report.Groups, g => Assert.Equal(g.Items, g.Removed + g.Escalated + g.Review + g.Restricted + g.Nothing));
        // Without the time/place detector, the same threats are no longer escalated: the rules read every registered extractor.
        var classifierOnly = await Run(Csv, TextStage[0]);
        Assert.Equal(0, classifierOnly.Groups.Where(g => g.Class == "threat-time-place").Sum(g => g.Escalated));
    }

    [Fact]
    public async Task The_json_report_has_the_groups_with_their_intervals()
    {
        var json = JsonDocument.Parse((await Run(Csv)).ToJson()).RootElement;
        Assert.Equal(7, json.GetProperty("items").GetInt32());
        var group = json.GetProperty("groups").EnumerateArray().First(g => g.GetProperty("class").GetString() == "short");
        var rate = group.GetProperty("sent_anywhere_rate");
        Assert.Equal(0, rate.GetProperty("count").GetInt32());
        Assert.Equal(2, rate.GetProperty("of").GetInt32());
        Assert.Equal(0.6576, rate.GetProperty("high").GetDouble(), 0.0001);
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(1, 1, 0.2065, 1.0)]
    [InlineData(95, 100, 0.8882, 0.9785)]
    public void Wilson_intervals_match_published_values(int k, int n, double low, double high)
    {
        var r = Rate.Wilson(k, n);
        Assert.Equal(low, r.Low, 0.0001);
        Assert.Equal(high, r.High, 0.0001);
    }

    private sealed class Failing(bool afterFirst) : ISignalExtractor
    {
        private int _calls;
        public string Name => "needs-a-database";
        public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct) =>
            ValueTask.FromResult(afterFirst && _calls++ == 0 ? StageResult.Success : StageResult.Transient("index unavailable"));
    }

    [Fact]
    public async Task An_extractor_that_cannot_run_on_text_alone_is_named_and_left_out_but_one_that_fails_midway_stops_the_run()
    {
        var report = await Run(Csv, TextStage[0], new Failing(false), TextStage[1]);
        Assert.Equal("index unavailable", report.Unavailable["needs-a-database"]);
        Assert.Equal(["text-classifier", "time-place"], report.Extractors);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(Csv, new Failing(true)));
        Assert.Contains("'needs-a-database' ran on 1 items and then failed on item 2", ex.Message);
    }

    [Theory]
    [InlineData("label,lang,text\nharmful,en,x\n", "record 2: label must be 'violating' or 'benign', not 'harmful'")]
    [InlineData("label,text\nbenign,x\n", "no 'lang' column")]
    [InlineData("label,lang,text\nbenign,,x\n", "record 2: lang is empty")]
    public async Task Bad_files_are_refused_with_the_record_and_the_problem(string csv, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => Run(csv));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task The_cli_reads_a_policy_csv_and_writes_the_table_and_json()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await CliRunner.RunAsync(db, "db", "migrate");
        var csv = Path.Combine(db.Directory, "policy.csv");
        var json = Path.Combine(db.Directory, "policy.json");
        await File.WriteAllTextAsync(csv, Csv);
        var run = await CliRunner.RunAsync(db, "classifier", "eval", "--data", csv, "--json", json);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("policy.csv: 7 items", run.Out);
        Assert.Contains("caught: removed, escalated or sent to review", run.Out);
        // With a migrated database, entity screening runs too.
        var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Contains("entity-screening", doc.GetProperty("extractors").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(doc.GetProperty("unavailable").EnumerateObject());
        var bad = await CliRunner.RunAsync(db, "classifier", "eval", "--data", csv, "--whole-text");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("do not apply to a policy CSV", bad.Err);
    }
}
