using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Tests.Classifiers;

public class ModelTests
{
    [Fact]
    public void The_shipped_model_and_baseline_load_with_a_pinned_hash_labels_languages_and_calibration()
    {
        var model = LinearTextModel.LoadDefault();
        var m = model.Manifest;
        Assert.Equal("bulwark-text-en-it", m.Id);
        Assert.Equal(["threat", "glorification", "hate"], m.Labels);
        Assert.Equal(["en", "it"], m.Languages);
        Assert.Matches("^[0-9a-f]{64}$", m.Files[LinearTextModel.WeightsFile]);
        Assert.All(m.Heads, h => Assert.Equal("platt", h.Calibration.Method));
        var baseline = LinearTextModel.LoadDefaultBaseline();
        Assert.False(baseline.Manifest.Features.Scopes);
        Assert.Equal(0, baseline.Manifest.Features.CharMax);
    }

    [Fact]
    public void Probabilities_are_calibrated_values_in_0_1_and_obvious_cases_go_the_right_way()
    {
        var model = LinearTextModel.LoadDefault();
        var p = new double[3];
        model.Score("I'm going to shoot up the school tomorrow.", p);
        Assert.All(p, x => Assert.InRange(x, 0, 1));
        Assert.True(p[0] >= model.Manifest.Heads[0].Threshold, $"threat {p[0]}");
        model.Score("Domani vado alla moschea con il fucile e li ammazzo tutti.", p);
        Assert.True(p[0] >= model.Manifest.Heads[0].Threshold, $"Italian threat {p[0]}");
        model.Score("We had a lovely picnic by the lake with the kids.", p);
        Assert.All(model.Manifest.Heads.Select((h, i) => (h, i)), x => Assert.True(p[x.i] < x.h.Threshold, $"{x.h.Label} {p[x.i]}"));
        model.Score("", p);
        Assert.All(p, x => Assert.InRange(x, 0, 1));
    }

    [Fact]
    public void A_model_whose_weights_do_not_match_the_pinned_hash_is_refused_with_a_clear_error()
    {
        var dir = CopyShippedModel();
        var path = Path.Combine(dir, LinearTextModel.WeightsFile);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ModelLoadException>(() => LinearTextModel.Load(dir));
        Assert.Contains("SHA-256", ex.Message);
        Assert.Contains("refusing", ex.Message);
    }

    [Fact]
    public void Missing_files_and_bad_manifests_are_clear_errors()
    {
        Assert.Contains("does not exist", Assert.Throws<ModelLoadException>(() => LinearTextModel.Load("/nonexistent/model")).Message);
        var dir = CopyShippedModel();
        File.Delete(Path.Combine(dir, LinearTextModel.WeightsFile));
        Assert.Contains("weights.bin is missing", Assert.Throws<ModelLoadException>(() => LinearTextModel.Load(dir)).Message);
        File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{ not json");
        Assert.Contains("manifest is not valid", Assert.Throws<ModelLoadException>(() => LinearTextModel.Load(dir)).Message);
    }

    [Fact]
    public void The_registry_refuses_duplicate_ids_and_checks_an_operator_pinned_hash()
    {
        var registry = new ClassifierRegistry();
        registry.Register(LinearTextModel.LoadDefault());
        Assert.Contains("already registered", Assert.Throws<InvalidOperationException>(() => registry.Register(LinearTextModel.LoadDefault())).Message);
        var pinned = LinearTextModel.LoadDefault().Manifest.Files[LinearTextModel.WeightsFile];
        Assert.Single(ClassifierRegistry.FromOptions(new ClassifierOptions { ExpectedSha256 = pinned.ToUpperInvariant() }).Models);
        var ex = Assert.Throws<ModelLoadException>(() => ClassifierRegistry.FromOptions(new ClassifierOptions { ExpectedSha256 = new string('0', 64) }));
        Assert.Contains("pinned SHA-256", ex.Message);
        Assert.Empty(ClassifierRegistry.FromOptions(new ClassifierOptions { Enabled = false }).Models);
    }

    [Fact]
    public void Training_with_MLNET_is_seeded_and_round_trips_through_the_saved_files()
    {
        var rows = TinyCorpus();
        var a = Path.Combine(Path.GetTempPath(), "bulwark-train-" + Guid.NewGuid().ToString("N"));
        var b = a + "-again";
        var settings = new TrainingSettings { Id = "tiny", Features = new FeatureOptions { HashBits = 12 }, StanceGatedHeads = [] };
        var manifest = ClassifierTrainer.Train(rows, settings, a);
        ClassifierTrainer.Train(rows, settings, b);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, LinearTextModel.WeightsFile)), File.ReadAllBytes(Path.Combine(b, LinearTextModel.WeightsFile)));
        var model = LinearTextModel.Load(a);
        Assert.Equal(manifest.Files, model.Manifest.Files);
        var p = new double[3];
        model.Score("we will shoot them all tomorrow", p);
        var threat = p[0];
        model.Score("the weather is lovely today", p);
        Assert.True(threat > p[0], $"{threat} vs {p[0]}");
        // The stored calibration is the sigmoid of the raw score.
        var raw = model.RawScore("we will shoot them all tomorrow", 0);
        Assert.Equal(threat, model.Manifest.Heads[0].Calibration.Apply(raw), 6);
    }

    [Fact]
    public void The_hate_heads_stance_gate_closes_on_praise_and_negated_derogation_of_a_group_and_nowhere_else()
    {
        var model = LinearTextModel.LoadDefault();
        var hate = model.Manifest.Labels.ToList().IndexOf(ClassifierLabels.Hate);
        Assert.Equal(HeadGates.SpeakerStance, model.Manifest.Heads[hate].Gate);
        Assert.All(model.Manifest.Heads.Where(h => h.Label != ClassifierLabels.Hate), h => Assert.Null(h.Gate));
        var p = new double[3];
        foreach (var text in new[] { "Muslims are not disgusting.", "I don't hate gay people.", "Immigrants are wonderful neighbours.", "Gli immigrati non sono feccia." })
        {
            Assert.True(model.IsGated(text, hate), text);
            model.Score(text, p);
            Assert.Equal(0, p[hate]);
        }
        // Open: a negative stance, a slur, a pseudo-negation, nobody protected named, a quotation; the other heads never gate.
        foreach (var text in new[]
                 {
                     "Muslims are disgusting.", "Muslims are vermin, I love saying it.", "Gays are nothing but animals.",
                     "Immigrants are no better than rats.", "Non-white people are parasites.", "Gli immigrati non sono altro che feccia.",
                     "Faggots are wonderful.", "My boss is not an idiot.", "\"Jews are wonderful\" he said, and then he laughed.",
                 })
        {
            Assert.False(model.IsGated(text, hate), text);
            model.Score(text, p);
            Assert.Equal(model.Manifest.Heads[hate].Calibration.Apply(model.RawScore(text, hate)), p[hate], tolerance: 1e-5);
        }
        Assert.False(model.IsGated("Muslims are not disgusting.", model.Manifest.Labels.ToList().IndexOf(ClassifierLabels.Threat)));
        // The gate is the only difference: the same weights without it score the gated texts as the linear head does.
        var raw = model.Manifest.Heads[hate].Calibration.Apply(model.RawScore("Muslims are not disgusting.", hate));
        Assert.True(raw > 0, "the head's own score is not zero; the gate makes it so");
    }

    [Fact]
    public void A_manifest_with_an_unknown_gate_or_a_stance_gate_without_stance_features_is_refused()
    {
        var dir = CopyShippedModel();
        var path = Path.Combine(dir, ModelManifest.FileName);
        var json = File.ReadAllText(path);
        Assert.Contains("\"gate\": \"speaker-stance\"", json);
        File.WriteAllText(path, json.Replace("\"gate\": \"speaker-stance\"", "\"gate\": \"mood\""));
        var ex = Assert.Throws<ModelLoadException>(() => LinearTextModel.Load(dir));
        Assert.Contains("head 'hate' has gate 'mood'; the only gate is 'speaker-stance'", ex.Message);
        File.WriteAllText(path, json.Replace("\"stance\": true", "\"stance\": false"));
        ex = Assert.Throws<ModelLoadException>(() => LinearTextModel.Load(dir));
        Assert.Contains("needs the features \"structure\" and \"stance\"", ex.Message);
        // Without the gate the manifest loads, and the head scores what its weights say.
        File.WriteAllText(path, json.Replace(",\n      \"gate\": \"speaker-stance\"", ""));
        var ungated = LinearTextModel.Load(dir);
        var p = new double[3];
        ungated.Score("Muslims are not disgusting.", p);
        Assert.True(p[2] > 0);
        Assert.False(ungated.IsGated("Muslims are not disgusting.", 2));
        // Training refuses the gate on features that cannot evaluate it.
        var tiny = new TrainingSettings { Id = "tiny", Features = new FeatureOptions { HashBits = 12 } };
        Assert.Contains("needs the structure and stance features",
            Assert.Throws<ArgumentException>(() => ClassifierTrainer.Train(TinyCorpus(), tiny, Path.Combine(dir, "t"))).Message);
    }

    private static List<LabelledText> TinyCorpus()
    {
        var rows = new List<LabelledText>();
        string[] threats = ["we will shoot them all", "i am going to kill you", "they should all be shot", "i will stab him tomorrow", "ti ammazzo domani", "death to them all"];
        string[] hate = ["they are vermin", "those people are filth", "i despise them all, parasites", "sono feccia"];
        string[] praise = ["long live the caliphate", "the attacker is a hero", "glory to the martyrs of the state"];
        string[] neutral = ["the weather is lovely today", "i am going to cook dinner", "we will watch a film", "che bella giornata", "my phone is dead", "the match was great", "see you tomorrow", "the museum opens at nine"];
        var k = 0;
        foreach (var variant in new[] { "", " today", " now", " ok", " right", " again", " tonight", " soon" })
        {
            foreach (var t in threats) rows.Add(Row(t + variant, threat: true));
            foreach (var t in hate) rows.Add(Row(t + variant, hate: true));
            foreach (var t in praise) rows.Add(Row(t + variant, glor: true));
            foreach (var t in neutral) rows.Add(Row(t + variant + (k++ % 2 == 0 ? "" : "!")));
        }
        return rows;

        static LabelledText Row(string text, bool threat = false, bool hate = false, bool glor = false) =>
            new(text, new Dictionary<string, bool> { ["threat"] = threat, ["hate"] = hate, ["glorification"] = glor });
    }

    private static string CopyShippedModel()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var asm = typeof(LinearTextModel).Assembly;
        foreach (var name in new[] { ModelManifest.FileName, LinearTextModel.WeightsFile })
        {
            using var s = asm.GetManifestResourceStream("Bulwark.Classifiers.Model/" + name)!;
            using var f = File.Create(Path.Combine(dir, name));
            s.CopyTo(f);
        }
        return dir;
    }
}
