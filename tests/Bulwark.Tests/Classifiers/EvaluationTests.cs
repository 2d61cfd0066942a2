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
        Assert.All(rows, r => Assert.StartsWith("synthetic", r.Source));
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
}
