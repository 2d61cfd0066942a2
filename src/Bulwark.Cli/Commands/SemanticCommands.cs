using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Signals.Semantic;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark semantic</c>: train the sentence-meaning detector's head (docs/semantic.md) and score a text with it.
/// </summary>
public static class SemanticCommands
{
    public static Command Create() => new("semantic", "Train and try the sentence-meaning detector (MiniLM sentence embeddings + a logistic head).")
    {
        Train(), Score(),
    };

    private static Command Train()
    {
        var dev = new Option<string[]>("--dev") { Description = "A development CSV (label,lang,text[,class]); repeatable. Never a frozen or held-out set.", Required = true };
        var latent = new Option<string?>("--latent-hatred") { Description = "Latent Hatred's folder (../shared/testdata/text/latent_hatred_en): its threatening posts and a sample of not_hate posts, at low weight." };
        var latentWeight = new Option<float>("--latent-weight") { Description = "Weight of the Latent Hatred rows.", DefaultValueFactory = _ => 0.3f };
        var latentEvery = new Option<int>("--latent-negative-every") { Description = "Take every N-th not_hate post.", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--out") { Description = "The head file to write (head.json).", Required = true };
        var version = new Option<string>("--version") { Description = "Head version.", DefaultValueFactory = _ => "1.0.0" };
        var rate = new Option<double>("--benign-rate") { Description = "The threshold flags at most this share of the development sets' benign rows, out of fold.", DefaultValueFactory = _ => SemanticHeadTrainer.TargetBenignRate };
        var neutral = new Option<string?>("--neutral") { Description = "The shared labelled-text folder (../shared/testdata/text): add Davidson's 'neither' tweets and the benign rows of the n-gram model's generated training data as negatives (read there, never copied)." };
        var davidsonWeight = new Option<float>("--davidson-weight") { Description = "Weight of Davidson's 'neither' tweets (their held-out fifth is always the neutral check).", DefaultValueFactory = _ => 0.05f };
        var davidsonEvery = new Option<int>("--davidson-every") { Description = "Take every N-th 'neither' tweet of the training buckets.", DefaultValueFactory = _ => 1 };
        var generatedWeight = new Option<float>("--generated-weight") { Description = "Weight of the generated benign rows (idioms, games, sport, news, counter-speech; English and Italian); 0 leaves them out.", DefaultValueFactory = _ => 0f };
        var generatedEvery = new Option<int>("--generated-every") { Description = "Take every N-th generated benign row per language.", DefaultValueFactory = _ => 10 };
        var cache = new Option<string?>("--cache") { Description = "A file of embeddings by text hash, read and extended (speeds up retraining; the head is the same without it)." };
        var command = new Command("train", "Train the head: deterministic logistic regression over all-MiniLM-L6-v2 embeddings; threshold from out-of-fold scores of the development rows.")
            { dev, latent, latentWeight, latentEvery, neutral, davidsonWeight, davidsonEvery, generatedWeight, generatedEvery, cache, output, version, rate };
        command.SetAction(parse =>
        {
            var rows = new List<SemanticRow>();
            var record = new List<string>();
            foreach (var path in parse.GetValue(dev) ?? [])
            {
                if (Path.GetFileName(path).StartsWith("frozen", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(path).StartsWith("dev3b", StringComparison.OrdinalIgnoreCase))
                    throw new CliException($"'{path}' is an evaluation set held out from training (eval/text/README.md).");
                try
                {
                    var (r, rec) = SemanticHeadTrainer.ReadPolicyFile(path);
                    rows.AddRange(r);
                    record.Add(rec);
                }
                catch (Exception e) when (e is IOException or InvalidDataException) { throw new CliException(e.Message); }
            }
            if (parse.GetValue(latent) is { } lh)
            {
                var every = parse.GetValue(latentEvery);
                if (every < 1) throw new CliException("--latent-negative-every must be at least 1.");
                try
                {
                    var (r, rec) = SemanticHeadTrainer.ReadLatentHatred(lh, parse.GetValue(latentWeight), every);
                    rows.AddRange(r);
                    record.Add(rec);
                }
                catch (IOException e) { throw new CliException(e.Message); }
            }
            List<string>? neutralCheck = null;
            if (parse.GetValue(neutral) is { } folder)
            {
                try
                {
                    var (d, held, drec) = SemanticNegatives.ReadDavidsonNeither(folder, parse.GetValue(davidsonWeight), parse.GetValue(davidsonEvery));
                    rows.AddRange(d);
                    record.Add(drec);
                    neutralCheck = held;
                    if (parse.GetValue(generatedWeight) > 0)
                    {
                        var (g, grec) = SemanticNegatives.ReadGeneratedBenign(folder, parse.GetValue(generatedWeight), parse.GetValue(generatedEvery));
                        rows.AddRange(g);
                        record.Add(grec);
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or ArgumentOutOfRangeException) { throw new CliException(e.Message); }
            }
            var benignRate = parse.GetValue(rate);
            if (benignRate is <= 0 or >= 1) throw new CliException("--benign-rate must be between 0 and 1.");
            if (rows.Count == 0) throw new CliException("No training rows: give at least one --dev file.");
            var head = SemanticHeadTrainer.Train(rows, "bulwark-semantic-violent", parse.GetValue(version)!, record, Console.WriteLine, benignRate,
                neutralCheck: neutralCheck, cacheFile: parse.GetValue(cache));
            var outPath = parse.GetValue(output)!;
            File.WriteAllText(outPath, head.ToJson() + "\n");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {head.Tag} to {outPath}: {rows.Count} rows, threshold {head.Threshold:0.000}"));
            return 0;
        });
        return command;
    }

    private static Command Score()
    {
        var text = new Argument<string>("text") { Description = "The text to score." };
        var command = new Command("score", "Print the shipped head's probability that a text is violating, and whether it fires.") { text };
        command.SetAction(parse =>
        {
            var head = SemanticHead.Shipped;
            var score = head.Score(SentenceEmbedder.Embed(parse.GetValue(text)!));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{head.Tag}: {score:0.000} ({(score >= head.Threshold ? "fired" : "below-threshold")}, threshold {head.Threshold:0.000})"));
            return 0;
        });
        return command;
    }
}
