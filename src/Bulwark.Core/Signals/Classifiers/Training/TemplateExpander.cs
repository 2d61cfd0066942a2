using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// Fills <c>{SLOT}</c> templates from word lists with a seeded random source. A list entry <c>le donne#f</c> sets the
/// grammatical gender for the rest of the sentence; an entry <c>uccisi|uccise</c> then agrees with it (masculine | feminine).
/// </summary>
internal sealed partial class TemplateExpander(Random random, IReadOnlyDictionary<string, string[]> lists)
{
    [GeneratedRegex(@"\{([A-Z_0-9]+)\}")]
    private static partial Regex Slot();

    public string Expand(string template)
    {
        var feminine = false;
        var result = Slot().Replace(template, m =>
        {
            if (!lists.TryGetValue(m.Groups[1].Value, out var options)) throw new InvalidOperationException($"No word list '{m.Groups[1].Value}'.");
            var choice = options[random.Next(options.Length)];
            var hash = choice.IndexOf('#');
            if (hash >= 0)
            {
                feminine = choice[(hash + 1)..] == "f";
                choice = choice[..hash];
            }
            var bar = choice.IndexOf('|');
            if (bar >= 0) choice = feminine ? choice[(bar + 1)..] : choice[..bar];
            return choice;
        });
        result = Regex.Replace(result, " {2,}", " ").Replace(" .", ".").Replace(" ,", ",").Replace(" ?", "?").Replace(" !", "!").Trim();
        return result.Length > 0 ? char.ToUpperInvariant(result[0]) + result[1..] : result;
    }

    /// <summary>Up to <paramref name="count"/> distinct expansions of each template.</summary>
    public IEnumerable<string> ExpandAll(IEnumerable<string> templates, int count)
    {
        foreach (var template in templates)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var attempt = 0; attempt < count * 3 && seen.Count < count; attempt++)
            {
                var text = Expand(template);
                if (seen.Add(text)) yield return text;
            }
        }
    }

    /// <summary>Typing noise applied alike to every class, so that noise is never a cue for a label.</summary>
    public string Perturb(string text)
    {
        var words = text.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Count(char.IsLetter) >= 4).ToList();
        if (candidates.Count == 0) return text;
        var w = candidates[random.Next(candidates.Count)];
        var word = words[w];
        var p = random.Next(1, word.Length - 2);
        switch (random.Next(5))
        {
            case 0: words[w] = word[..p] + word[p + 1] + word[p] + word[(p + 2)..]; break;                 // swap
            case 1: words[w] = word.Remove(p, 1); break;                                                   // drop a letter
            case 2 when w + 1 < words.Length: words[w] = word + words[w + 1]; words[w + 1] = ""; break;   // drop a space
            case 3: words[w] = string.Join(' ', word.ToCharArray()); break;                                 // spaced out
            default:
                var sb = new StringBuilder(word);
                for (var i = 0; i < sb.Length; i++)
                    sb[i] = sb[i] switch { 'a' => '4', 'e' => '3', 'i' => '1', 'o' => '0', _ => sb[i] };
                words[w] = sb.ToString();
                break;
        }
        return string.Join(' ', words.Where(x => x.Length > 0));
    }
}
