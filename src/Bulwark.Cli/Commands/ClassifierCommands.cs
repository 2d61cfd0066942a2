using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark classifier</c>: build the training data of the shipped model, train a model (and its bag-of-words baseline),
/// evaluate a model beside its baseline, and score a text. Data formats are documented in docs/model-card.md.
/// </summary>
public static class ClassifierCommands
{
    public static Command Create(Option<string?> config)
    {
        return new Command("classifier", "Train, evaluate and try the text classifiers (threat, glorification, hate).")
        {
            BuildData(), Train(), Eval(config), Score(config),
        };
    }

    private static Option<string?> OnnxOption() => new("--onnx")
    {
        Description = "Use the operator-supplied ONNX model with this id, configured under Bulwark:Classifiers:OnnxModels (e.g. in --config FILE); "
                      + "the shipped model is then the baseline.",
    };

    private static Command BuildData()
    {
        var testdata = new Option<string>("--testdata") { Description = "The labelled text folder (../shared/testdata/text).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for train.csv and the eval-*.csv files.", Required = true };
        var isis = new Option<bool>("--isis-in-training") { Description = "Train glorification on the ISIS training accounts' tweets too (weak, account-level labels; off for the shipped model)." };
        var command = new Command("build-data", "Assemble the shipped model's training set (synthetic + licensed public data) and held-out evaluation files.") { testdata, output, isis };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(testdata)!;
            if (!Directory.Exists(dir)) throw new CliException($"Test data folder '{dir}' does not exist.");
            var result = TrainingDataBuilder.Build(dir, parse.GetValue(output)!, Console.WriteLine, parse.GetValue(isis));
            foreach (var (source, n) in result.RowsBySource.OrderBy(x => x.Key, StringComparer.Ordinal)) Console.WriteLine($"  {source,-16} {n,7} rows");
            foreach (var f in result.Files) Console.WriteLine($"wrote {f}");
            return 0;
        });
        return command;
    }

    private static Command Train()
    {
        var data = new Option<string>("--data") { Description = "Training CSV: text,threat,glorification,hate[,weight,lang,source] (labels 1, 0 or empty).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (model.json, weights.bin; the baseline in baseline/).", Required = true };
        var id = new Option<string>("--id") { Description = "Model id.", DefaultValueFactory = _ => "bulwark-text-en-it" };
        var version = new Option<string>("--version") { Description = "Model version.", DefaultValueFactory = _ => "1.0.0" };
        var seed = new Option<int>("--seed") { Description = "ML.NET seed.", DefaultValueFactory = _ => 20240607 };
        var l1 = new Option<float>("--l1") { Description = "L1 regularisation.", DefaultValueFactory = _ => new TrainingSettings { Id = "x" }.L1 };
        var l2 = new Option<float>("--l2") { Description = "L2 regularisation.", DefaultValueFactory = _ => new TrainingSettings { Id = "x" }.L2 };
        var headL2 = new Option<string[]>("--head-l2") { Description = "L2 regularisation of one head, LABEL=VALUE, overriding --l2 (repeatable; default hate=0.5)." };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip the bag-of-words logistic-regression baseline." };
        var gate = new Option<string[]>("--stance-gate") { Description = "Heads with the stance gate: they do not fire on text whose speaker names a protected group and says only positive things about it (repeatable; default hate; 'none' for no gate)." };
        var command = new Command("train", "Train the built-in model: character n-gram features, one calibrated logistic-regression head per label.")
            { data, output, id, version, seed, l1, l2, headL2, gate, noBaseline };
        command.SetAction(parse =>
        {
            var rows = Read(parse.GetValue(data)!);
            var outDir = parse.GetValue(output)!;
            var perHead = new Dictionary<string, float>(new TrainingSettings { Id = "x" }.HeadL2, StringComparer.Ordinal);
            foreach (var spec in parse.GetValue(headL2) ?? [])
            {
                var eq = spec.IndexOf('=');
                if (eq <= 0 || !ClassifierLabels.All.Contains(spec[..eq]) || !float.TryParse(spec[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0)
                    throw new CliException($"--head-l2 '{spec}': expected LABEL=VALUE, LABEL one of {string.Join(", ", ClassifierLabels.All)}, VALUE >= 0.");
                perHead[spec[..eq]] = v;
            }
            var gateSpecs = parse.GetValue(gate) is { Length: > 0 } given ? given : new TrainingSettings { Id = "x" }.StanceGatedHeads.ToArray();
            var gated = gateSpecs.Where(g => g != "none").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (gateSpecs.Contains("none") && gated.Count > 0) throw new CliException("--stance-gate none cannot be combined with a head.");
            foreach (var label in gated)
                if (!ClassifierLabels.All.Contains(label))
                    throw new CliException($"--stance-gate '{label}': expected one of {string.Join(", ", ClassifierLabels.All)}.");
            var notes = new Dictionary<string, string>
            {
                ["data"] = Path.GetFileName(parse.GetValue(data)!),
                ["rows"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                ["command"] = $"bulwark classifier train --data {Path.GetFileName(parse.GetValue(data)!)} --out DIR --seed {parse.GetValue(seed)} --l1 {parse.GetValue(l1).ToString(CultureInfo.InvariantCulture)} --l2 {parse.GetValue(l2).ToString(CultureInfo.InvariantCulture)}"
                    + string.Concat(perHead.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $" --head-l2 {kv.Key}={kv.Value.ToString(CultureInfo.InvariantCulture)}"))
                    + string.Concat(gated.Select(g => $" --stance-gate {g}")),
                ["card"] = "docs/model-card.md",
            };
            var settings = new TrainingSettings { Id = parse.GetValue(id)!, Version = parse.GetValue(version)!, Seed = parse.GetValue(seed), L1 = parse.GetValue(l1), L2 = parse.GetValue(l2), HeadL2 = perHead, StanceGatedHeads = gated, Notes = notes };
            var m = ClassifierTrainer.Train(rows, settings, outDir, Console.WriteLine);
            Console.WriteLine($"wrote {m.Id}@{m.Version} to {outDir} (weights.bin sha256 {m.Files[LinearTextModel.WeightsFile]})");
            if (!parse.GetValue(noBaseline))
            {
                var b = ClassifierTrainer.Train(rows, settings with { Id = settings.Id + "-bow-baseline", Features = FeatureOptions.BagOfWords, StanceGatedHeads = [] }, Path.Combine(outDir, "baseline"), Console.WriteLine);
                Console.WriteLine($"wrote baseline {b.Id}@{b.Version} to {Path.Combine(outDir, "baseline")}");
            }
            return 0;
        });
        return command;
    }

    private static Command Eval(Option<string?> config)
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default: the shipped model)." };
        var onnx = OnnxOption();
        var data = new Option<string>("--data")
        {
            Description = "A training-format CSV, a HateCheck CSV (functionality,test_case,label_gold), or a policy CSV "
                          + "(label,lang,text[,class]; label violating or benign): the last is run through the whole text stage and the shipped rules.",
            Required = true,
        };
        var json = new Option<string?>("--json") { Description = "Also write the figures as JSON (keys include overall_accuracy and functionalities; for a policy CSV, groups)." };
        var errors = new Option<int>("--errors") { Description = "Also print up to N misclassified rows per functionality (HateCheck) or label (per class and language for a policy CSV)." };
        var wholeText = new Option<bool>("--whole-text") { Description = "Score each row as one window, as models before 1.4.0 were deployed (default: window by window, as the pipeline scores)." };
        var kind = new Option<string>("--kind") { Description = "Policy CSV: the content kind of the text-only events (text, comment, video…).", DefaultValueFactory = _ => "text" };
        var items = new Option<string?>("--items") { Description = "Policy CSV: also write each row's outcome, rules and signals as JSON lines (to study a rule change without re-running the detectors)." };
        var command = new Command("eval", "Per-label precision, recall, F1, ROC AUC and reliability (and HateCheck accuracy per functionality), beside the bag-of-words baseline; "
                                          + "or, for a policy CSV, what the text stage and the shipped rules decide per class and language.")
            { model, onnx, data, json, errors, wholeText, kind, items };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(data)!;
            if (IsPolicyCsv(path))
            {
                if (parse.GetValue(model) is not null || parse.GetValue(onnx) is not null || parse.GetValue(wholeText))
                    throw new CliException("--model, --onnx and --whole-text do not apply to a policy CSV: it is run through the text stage as configured (--config).");
                await PolicyEval(path, parse.GetValue(config), parse.GetValue(kind)!, parse.GetValue(json), parse.GetValue(errors), ct, parse.GetValue(items));
                return 0;
            }
            var (classifier, baseline) = LoadModels(parse.GetValue(model), parse.GetValue(onnx), parse.GetValue(config));
            var rows = Read(path);
            var whole = parse.GetValue(wholeText);
            var report = ClassifierEvaluator.Evaluate(classifier, rows, Path.GetFileName(path), whole);
            if (baseline is not null) report = report with { Baseline = ClassifierEvaluator.Evaluate(baseline, rows, Path.GetFileName(path), whole) };
            Console.Write(ClassifierEvaluator.Format(report));
            if (parse.GetValue(errors) is > 0 and var max) PrintErrors(classifier, rows, max);
            if (parse.GetValue(json) is { } jsonPath)
            {
                File.WriteAllText(jsonPath, report.ToJson() + "\n");
                Console.WriteLine($"wrote {jsonPath}");
            }
            return 0;
        });
        return command;
    }

    private static bool IsPolicyCsv(string path)
    {
        if (!File.Exists(path)) throw new CliException($"Data file '{path}' does not exist.");
        using var reader = new StreamReader(path);
        var first = Csv.ReadRecords(reader).FirstOrDefault() ?? throw new CliException($"{path}: the file is empty (a header row is required).");
        var header = first.Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF'), i)).GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        return TextStageEvaluator.IsPolicyFile(header);
    }

    private static async Task PolicyEval(string path, string? configFile, string kind, string? jsonPath, int errors, CancellationToken ct, string? itemsPath = null)
    {
        if (!Bulwark.Core.Ingest.ContentEventValidator.Kinds.Contains(kind))
            throw new CliException($"--kind '{kind}' is not a content kind ({string.Join(", ", Bulwark.Core.Ingest.ContentEventValidator.Kinds)}).");
        List<PolicyEvalItem> items;
        try { items = TextStageEvaluator.Read(path); }
        catch (InvalidDataException ex) { throw new CliException(ex.Message); }
        await using var services = CliHost.Build(configFile);
        var extractors = services.GetServices<ISignalExtractor>();
        var report = await TextStageEvaluator.EvaluateAsync(items, extractors, RuleSet.Shipped(), services.GetRequiredService<EnforcementOptions>(), Path.GetFileName(path), kind, ct);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Data)}[/]: {report.Items} items; shipped rules {report.RuleSet[..12]}…; text stage: {Markup.Escape(string.Join(", ", report.Extractors))}");
        foreach (var (name, why) in report.Unavailable)
            AnsiConsole.MarkupLine($"[yellow]not run[/] {Markup.Escape(name)}: {Markup.Escape(why)}");
        var table = new Table().AddColumns("label", "class", "lang", "n", "remove", "escal.", "review", "restr.", "none", "caught | sent (95% CI)", "escalated (95% CI)");
        foreach (var g in report.Groups)
            table.AddRow(g.Label, Markup.Escape(g.Class), Markup.Escape(g.Language), N(g.Items), N(g.Removed), N(g.Escalated), N(g.Review), N(g.Restricted), N(g.Nothing),
                Markup.Escape((g.Caught ?? g.SentAnywhere)!.ToString()), Markup.Escape(g.EscalatedRate!.ToString()));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("caught: removed, escalated or sent to review (violating); sent anywhere: any outcome but no action (benign).");
        if (errors > 0)
            foreach (var g in report.Outcomes.Where(o => o.Item.Violating ? o.Outcome is Outcomes.NoAction or Outcomes.Restrict : o.Outcome != Outcomes.NoAction)
                         .GroupBy(o => (o.Item.Violating, o.Item.Class, o.Item.Language)))
                foreach (var o in g.Take(errors))
                    Console.WriteLine($"  {(o.Item.Violating ? "missed" : "flagged")} {o.Item.Class ?? "-"}/{o.Item.Language} {o.Outcome} [{string.Join(", ", o.Rules)}] [{string.Join(", ", o.Signals)}]  {o.Item.Text}");
        if (itemsPath is not null)
        {
            await File.WriteAllLinesAsync(itemsPath, report.Outcomes.Select(o => System.Text.Json.JsonSerializer.Serialize(new
            {
                label = o.Item.Violating ? "violating" : "benign", @class = o.Item.Class, lang = o.Item.Language, outcome = o.Outcome,
                rules = o.Rules, signals = o.Signals, text = o.Item.Text,
            })), ct);
            Console.WriteLine($"wrote {itemsPath}");
        }
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, report.ToJson() + "\n", ct);
            Console.WriteLine($"wrote {jsonPath}");
        }
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Command Score(Option<string?> config)
    {
        var model = new Option<string?>("--model") { Description = "Model folder (default: the shipped model)." };
        var onnx = OnnxOption();
        var text = new Argument<string>("text") { Description = "The text to score." };
        var command = new Command("score", "Print each label's calibrated probability for one text.") { model, onnx, text };
        command.SetAction(parse =>
        {
            var (classifier, _) = LoadModels(parse.GetValue(model), parse.GetValue(onnx), parse.GetValue(config));
            var input = parse.GetValue(text) ?? "";
            var score = WindowedScoring.Score(classifier, input);
            if (score.NotScored is { } why)
            {
                Console.WriteLine($"not scored by the prose heads: {why}");
                return 0;
            }
            for (var h = 0; h < score.Probabilities.Length; h++)
            {
                var head = classifier.Manifest.Heads[h];
                var p = score.Probabilities[h];
                var w = score.Strongest[h];
                var window = score.Windows == 1 ? "" : $"  window [{w.Start}..{w.End}] \"{WindowedScoring.Excerpt(input, w, 60)}\" of {score.Windows}";
                var gated = classifier is LinearTextModel linear && linear.IsGated(input.Substring(w.Start, w.Length), h)
                    ? "  gated: the speaker names a protected group and says only positive things about it"
                    : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{head.Label,-14} {p:0.000}{(p >= head.Threshold ? "  fires" : "")}{window}{gated}"));
            }
            return 0;
        });
        return command;
    }

    private static void PrintErrors(ITextClassifier model, List<LabelledText> rows, int max)
    {
        var heads = model.Manifest.Heads;
        var shown = new Dictionary<string, int>();
        var p = new double[heads.Count];
        foreach (var row in rows)
        {
            model.Score(row.Text, p);
            var fired = Enumerable.Range(0, heads.Count).Where(h => p[h] >= heads[h].Threshold).Select(h => heads[h].Label).ToList();
            string? key = null;
            if (row.Hateful is { } hateful) { if (hateful != fired.Count > 0) key = row.Functionality ?? ""; }
            else key = heads.Select(h => h.Label).FirstOrDefault(l => row.Labels.TryGetValue(l, out var y) && y != fired.Contains(l));
            if (key is null || shown.GetValueOrDefault(key) >= max) continue;
            shown[key] = shown.GetValueOrDefault(key) + 1;
            var scores = string.Join(' ', Enumerable.Range(0, heads.Count).Select(h => string.Create(CultureInfo.InvariantCulture, $"{heads[h].Label}={p[h]:0.00}")));
            Console.WriteLine($"  miss {key,-18} {scores}  {row.Text}");
        }
    }

    private static (ITextClassifier Model, ITextClassifier? Baseline) LoadModels(string? dir, string? onnxId, string? configFile)
    {
        try
        {
            if (onnxId is not null)
            {
                if (dir is not null) throw new CliException("--model and --onnx cannot be combined: --onnx is compared with the shipped model.");
                var options = CliHost.ClassifierOptions(configFile);
                var ids = new List<string>();
                for (var i = 0; i < options.OnnxModels.Count; i++)
                {
                    var onnx = OnnxTextModel.Load(options.OnnxModels[i], $"{ClassifierOptions.Section}:OnnxModels:{i}");
                    if (onnx.Manifest.Id == onnxId) return (onnx, LinearTextModel.LoadDefault());
                    ids.Add(onnx.Manifest.Id);
                    onnx.Dispose();
                }
                throw new CliException($"No ONNX model with id '{onnxId}' is configured under {ClassifierOptions.Section}:OnnxModels"
                    + (ids.Count == 0 ? " (none is)." : $"; configured: {string.Join(", ", ids)}."));
            }
            if (dir is null) return (LinearTextModel.LoadDefault(), LinearTextModel.LoadDefaultBaseline());
            if (Directory.Exists(dir))
                foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                    CliFiles.Check(f, Csv.MaxFileBytes, "the model file");
            var baselineDir = Path.Combine(dir, "baseline");
            return (LinearTextModel.Load(dir), Directory.Exists(baselineDir) ? LinearTextModel.Load(baselineDir) : null);
        }
        catch (ModelLoadException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static List<LabelledText> Read(string path)
    {
        try
        {
            return LabelledText.ReadFile(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
        {
            throw new CliException(ex.Message);
        }
    }
}
