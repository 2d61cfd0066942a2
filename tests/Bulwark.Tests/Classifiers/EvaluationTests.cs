using System.Diagnostics;
using System.Text.Json;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Tests.Classifiers;

public class EvaluationTests
{
    [Fact]
    public void Roc_auc_matches_hand_computed_values()
    {
        Assert.Equal(1.0, ClassifierEvaluator.RocAuc([(0.9, true), (0.1, false)]));
        Assert.Equal(0.0, ClassifierEvaluator.RocAuc([(0.1, true), (0.9, false)]));
        Assert.Equal(0.5, ClassifierEvaluator.RocAuc([(0.5, true), (0.5, false)]));
        // Positives 0.8, 0.4; negatives 0.6, 0.2: 3 of 4 pairs ordered.
        Assert.Equal(0.75, ClassifierEvaluator.RocAuc([(0.8, true), (0.4, true), (0.6, false), (0.2, false)]));
        Assert.Null(ClassifierEvaluator.RocAuc([(0.8, true)]));
    }

    [Fact]
    public void Csv_reading_handles_quotes_and_reports_bad_labels_with_their_record()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "text,threat,hate,weight\n\"say \"\"hi\"\", then\nleave\",1,,0.5\nplain,0,1,\n");
        var rows = LabelledText.ReadFile(path);
        Assert.Equal("say \"hi\", then\nleave", rows[0].Text);
        Assert.True(rows[0].Labels["threat"]);
        Assert.False(rows[0].Labels.ContainsKey("hate"));
        Assert.Equal(0.5f, rows[0].Weight);
        Assert.True(rows[1].Labels["hate"]);
        File.WriteAllText(path, "text,threat\nx,maybe\n");
        Assert.Contains("record 2: threat must be 1, 0 or empty", Assert.Throws<InvalidDataException>(() => LabelledText.ReadFile(path)).Message);
    }

    [Fact]
    public void Synthetic_training_data_is_deterministic_covers_both_languages_and_all_heads()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-data-" + Guid.NewGuid().ToString("N"));
        var result = TrainingDataBuilder.Build(dir + "-missing-testdata", dir);
        var rows = LabelledText.ReadFile(Path.Combine(dir, "train.csv"));
        Assert.Equal(result.TrainRows, rows.Count);
        Assert.Contains(rows, r => r.Language == "it" && r.Labels.GetValueOrDefault("threat"));
        Assert.Contains(rows, r => r.Language == "en" && r.Labels.GetValueOrDefault("glorification"));
        Assert.Contains(rows, r => r.Language == "it" && r.Labels.GetValueOrDefault("hate"));
        Assert.All(rows, r => Assert.True(r.Source!.StartsWith("synthetic", StringComparison.Ordinal) || r.Source == "grammar", r.Source));
        var again = TrainingDataBuilder.Build(dir + "-missing-testdata", dir + "-2");
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "train.csv")), File.ReadAllText(Path.Combine(dir + "-2", "train.csv")));
        Assert.Equal(result.TrainRows, again.TrainRows);
    }

    [Fact]
    public async Task The_cli_evaluates_a_HateCheck_format_file_beside_the_baseline_and_writes_the_json_keys()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "cases.csv");
        File.WriteAllText(data, """
            ,functionality,case_id,test_case,label_gold
            0,threat_dir_h,1,I am going to shoot every one of them tomorrow.,hateful
            1,threat_dir_h,2,We will kill them all at the rally.,hateful
            2,ident_neutral_nh,3,We went to the beach on Sunday.,non-hateful
            """);
        var json = Path.Combine(dir, "out.json");
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bulwark.dll"), "classifier", "eval", "--data", data, "--json", json])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(p.ExitCode == 0, stderr);
        Assert.Contains("HateCheck overall accuracy", stdout);
        Assert.Contains("baseline", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var acc = doc.RootElement.GetProperty("overall_accuracy").GetDouble();
        Assert.InRange(acc, 0, 1);
        Assert.Equal(2, doc.RootElement.GetProperty("functionalities").EnumerateObject().Count());
        Assert.True(doc.RootElement.GetProperty("baseline").TryGetProperty("overall_accuracy", out _));
        // Per functionality, the share of cases on which each head fires: both threats fire the threat head, the beach nothing.
        var shares = doc.RootElement.GetProperty("functionality_head_shares");
        Assert.Equal(1.0, shares.GetProperty("threat_dir_h").GetProperty("threat").GetDouble());
        Assert.All(shares.GetProperty("ident_neutral_nh").EnumerateObject(), h => Assert.Equal(0.0, h.Value.GetDouble()));
        Assert.Equal(["glorification", "hate", "threat"], shares.GetProperty("threat_dir_h").EnumerateObject().Select(h => h.Name).Order());

        var bad = Path.Combine(dir, "bad.csv");
        File.WriteAllText(bad, "text,threat\nx,2\n");
        psi.ArgumentList.Clear();
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "bulwark.dll"), "classifier", "eval", "--data", bad }) psi.ArgumentList.Add(a);
        using var q = Process.Start(psi)!;
        var err = await q.StandardError.ReadToEndAsync();
        await q.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(1, q.ExitCode);
        Assert.Contains("threat must be 1, 0 or empty", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_Multilingual_HateCheck_file_in_Italian_is_read_as_HateCheck_with_its_extra_columns()
    {
        // Multilingual HateCheck's layout (Röttger et al. 2022): its own id column first, then HateCheck's columns and more.
        // Sentences written for this test, not taken from that dataset.
        var path = Path.Combine(Path.GetTempPath(), "bulwark-mhc-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, """
            mhc_case_id,functionality,test_case,label_gold,target_ident,ref_case_id,ref_templ_id,templ_id,case_templ
            italian-1,threat_dir_h,Domani vado alla moschea con il fucile e li ammazzo tutti.,hateful,musulmani,,,1,"Domani vado ..."
            italian-2,negate_neg_nh,Gli immigrati non sono feccia.,non-hateful,immigrati,,,2,"[IDENT_P] non sono feccia."
            italian-3,negate_neg_nh,Non odio gli ebrei.,non-hateful,ebrei,,,3,"Non odio [IDENT_P]."
            italian-4,ident_pos_nh,Le donne sono persone splendide.,non-hateful,donne,,,4,"[IDENT_P] sono persone splendide."
            """);
        var rows = LabelledText.ReadFile(path);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.NotNull(r.Hateful));
        var report = ClassifierEvaluator.Evaluate(LinearTextModel.LoadDefault(), rows, "mhc-italian");
        Assert.Equal(["ident_pos_nh", "negate_neg_nh", "threat_dir_h"], report.Functionalities!.Keys.Order());
        Assert.Equal(1.0, report.Functionalities["threat_dir_h"]);
        // The stance gate reads Italian negation: both negated statements stay below every head's threshold.
        Assert.Equal(1.0, report.Functionalities["negate_neg_nh"]);
    }

    private static async Task<(int ExitCode, string Out, string Err)> Cli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bulwark.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Train_gives_the_hate_head_the_stance_gate_by_default_and_score_says_when_it_closes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-train-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "train.csv");
        var lines = new List<string> { "text,threat,glorification,hate" };
        foreach (var v in new[] { "", " today", " now", " ok", " right", " again", " tonight", " soon", " really", " truly" })
        {
            lines.Add($"we will shoot them all{v},1,0,0");
            lines.Add($"i am going to stab him{v},1,0,0");
            lines.Add($"long live the caliphate{v},0,1,0");
            lines.Add($"the attacker is a hero{v},0,1,0");
            lines.Add($"muslims are vermin{v},0,0,1");
            lines.Add($"immigrants are filth{v},0,0,1");
            lines.Add($"the weather is lovely{v},0,0,0");
            lines.Add($"see you at dinner{v},0,0,0");
            lines.Add($"muslims are wonderful neighbours{v},0,0,0");
        }
        await File.WriteAllLinesAsync(data, lines);

        var gated = Path.Combine(dir, "gated");
        var train = await Cli("classifier", "train", "--data", data, "--out", gated, "--no-baseline");
        Assert.True(train.ExitCode == 0, train.Err);
        var manifest = ModelManifest.Parse(await File.ReadAllTextAsync(Path.Combine(gated, ModelManifest.FileName)), "test");
        Assert.Equal(HeadGates.SpeakerStance, manifest.Heads.Single(h => h.Label == ClassifierLabels.Hate).Gate);
        Assert.All(manifest.Heads.Where(h => h.Label != ClassifierLabels.Hate), h => Assert.Null(h.Gate));
        Assert.EndsWith("--stance-gate hate", manifest.Training!["command"]);

        var score = await Cli("classifier", "score", "--model", gated, "Muslims are not disgusting.");
        Assert.True(score.ExitCode == 0, score.Err);
        Assert.Contains("hate           0.000  gated: the speaker names a protected group and says only positive things about it", score.Out);
        score = await Cli("classifier", "score", "--model", gated, "Muslims are disgusting.");
        Assert.DoesNotContain("gated", score.Out);

        var open = Path.Combine(dir, "open");
        train = await Cli("classifier", "train", "--data", data, "--out", open, "--no-baseline", "--stance-gate", "none");
        Assert.True(train.ExitCode == 0, train.Err);
        manifest = ModelManifest.Parse(await File.ReadAllTextAsync(Path.Combine(open, ModelManifest.FileName)), "test");
        Assert.All(manifest.Heads, h => Assert.Null(h.Gate));
        Assert.DoesNotContain("gate", await File.ReadAllTextAsync(Path.Combine(open, ModelManifest.FileName)));

        var bad = await Cli("classifier", "train", "--data", data, "--out", Path.Combine(dir, "bad"), "--stance-gate", "mood");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--stance-gate 'mood': expected one of threat, glorification, hate.", bad.Err);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
    }
}
