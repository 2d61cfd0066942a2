using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Signals.ViolentSpeech;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>bulwark lexicon italian-verbs</c>: regenerate the Italian verb forms the violent-speech analyser ships with, from the
/// conjugation table (docs/violent-speech.md); <c>bulwark speech analyse TEXT</c>: what the analyser finds in a text, with its
/// explanation.
/// </summary>
public static class LexiconCommands
{
    public static Command Lexicon()
    {
        var verbs = new Option<string>("--verbs") { Description = "italian-verbs-dict's dist/verbs.json (../shared/testdata/lexicons/italian_morphology/verbs/dist/verbs.json).", Required = true };
        var output = new Option<string>("--out") { Description = "The TSV to write (the shipped one is src/Bulwark.Core/Signals/ViolentSpeech/Data/it-violent-verbs.tsv).", Required = true };
        var italian = new Command("italian-verbs", "Write every form (person, tense, mood, enclitic) of the violent-speech analyser's Italian verbs.") { verbs, output };
        italian.SetAction(parse =>
        {
            var path = parse.GetValue(verbs)!;
            if (!File.Exists(path)) throw new CliException($"--verbs '{path}' does not exist.");
            string tsv;
            try { tsv = ItalianVerbGenerator.Generate(path); }
            catch (InvalidDataException ex) { throw new CliException(ex.Message); }
            var outPath = parse.GetValue(output)!;
            File.WriteAllText(outPath, tsv);
            var rows = tsv.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
            Console.WriteLine($"wrote {rows} forms of {ItalianVerbGenerator.Lemmas.Count} verbs to {outPath}");
            return 0;
        });
        return new Command("lexicon", "Build the lexicons the text detectors ship with.") { italian };
    }

    public static Command Speech()
    {
        var text = new Argument<string?>("text") { Description = "The text to analyse.", Arity = ArgumentArity.ZeroOrOne };
        var lang = new Option<string?>("--lang") { Description = "Language hint (en, it); both lexicons are read either way." };
        var file = new Option<string?>("--file") { Description = "Analyse every line of this file instead; prints line number, kind, score and explanation of each finding that fires." };
        var words = new Option<bool>("--words") { Description = "Also print the words the analyser reads (normalised: case, diacritics, leetspeak, zero-width characters), one sentence a line." };
        var analyse = new Command("analyse", "Print the threats, incitement, glorification and support the violent-speech analyser finds, one per line: kind, score, explanation.") { text, lang, file, words };
        analyse.SetAction(parse =>
        {
            if (parse.GetValue(file) is { } path)
            {
                if (!File.Exists(path)) throw new CliException($"--file '{path}' does not exist.");
                var n = 0;
                var fired = 0;
                foreach (var line in File.ReadLines(path))
                {
                    n++;
                    var any = false;
                    foreach (var f in ViolentSpeechAnalyser.Analyse(line, parse.GetValue(lang)).Where(f => f.Fired))
                    {
                        any = true;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n}\t{f.Kind.ToString().ToLowerInvariant()}\t{f.Score:0.00}\t{f.Explanation}"));
                    }
                    if (any) fired++;
                }
                Console.Error.WriteLine($"{fired} of {n} lines had a finding that fires");
                return 0;
            }
            if (parse.GetValue(text) is not { } one) throw new CliException("give a text to analyse, or --file FILE.");
            if (parse.GetValue(words))
                foreach (var sentence in ViolentSpeechAnalyser.Words(one)) Console.WriteLine("words: " + string.Join(' ', sentence));
            var findings = ViolentSpeechAnalyser.Analyse(one, parse.GetValue(lang));
            if (findings.Count == 0) Console.WriteLine("nothing found");
            foreach (var f in findings)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{f.Kind.ToString().ToLowerInvariant()}\t{f.Score:0.00}\t{f.Explanation}"));
            return 0;
        });
        return new Command("speech", "Try the explainable violent-speech analyser (threats, incitement, glorification, support).") { analyse };
    }
}
