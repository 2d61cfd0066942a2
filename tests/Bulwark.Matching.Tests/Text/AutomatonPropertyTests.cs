using Bulwark.Matching.Text;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Text;

/// <summary>
/// The automaton alone against a naive search: every occurrence of every key, reported in order of end position,
/// for short texts (one stream) and long ones (two interleaved streams), small alphabets (many overlapping hits) and
/// large ones (symbols beyond the dense rows, chars in no key).
/// </summary>
public class AutomatonPropertyTests
{
    private const string Small = "abi ";
    private const string Large = "abcdefghijkmnopqrstuvwxyz0123456789 αβγδεζηθικμνξοπρστυφχψω中文字";

    [Property(MaxTest = 300)]
    public bool Search_reports_every_occurrence_in_end_order(int seed)
    {
        var random = new Random(seed);
        var alphabet = random.Next(2) == 0 ? Small : Large;
        var keys = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Random(random, alphabet, random.Next(1, random.Next(2) == 0 ? 5 : 40))).ToArray();
        // 'l' steps like 'i' (keys are canonical); 'X' is in no key.
        var text = Random(random, alphabet + "lX", random.Next(0, 3) == 0 ? random.Next(0, 512) : random.Next(512, 6000));
        return FindsEveryOccurrence(keys, text);
    }

    [Property(MaxTest = 300)]
    public bool Deep_chains_report_every_occurrence_when_text_is_made_of_keys(int seed)
    {
        // Keys longer than the dense rows' depth (deep states: one-child chains, the space transition, sole keys),
        // some sharing prefixes or ending in another key; the text is keys, their prefixes and other chars, so deep
        // chains are walked to the end, left in the middle and left on a space.
        var random = new Random(seed);
        var alphabet = random.Next(2) == 0 ? "abci " : Large;
        var keys = new List<string>();
        for (var k = random.Next(1, 40); k > 0; k--)
        {
            var key = Random(random, alphabet, random.Next(5, 30));
            if (keys.Count > 0 && random.Next(3) == 0)
            {
                var other = keys[random.Next(keys.Count)];
                key = random.Next(2) == 0 ? other[..random.Next(1, other.Length)] + key : key + other;
            }
            keys.Add(key);
        }
        var text = new System.Text.StringBuilder();
        while (text.Length < random.Next(0, 3000))
        {
            var key = keys[random.Next(keys.Count)];
            text.Append(random.Next(4) switch
            {
                0 => key[..random.Next(key.Length)],
                1 => Random(random, alphabet + "lX", random.Next(1, 8)),
                _ => key,
            }).Append(random.Next(3) == 0 ? "" : " ");
        }
        return FindsEveryOccurrence([.. keys], text.ToString());
    }

    private static bool FindsEveryOccurrence(string[] keys, string text)
    {
        var automaton = new AhoCorasick(keys);
        var recorder = new Recorder { Hits = [] };
        automaton.Search(text, ref recorder);
        var canonical = PatternKeys.Canonical(text);
        var expected = new List<(int, int, int)>();
        for (var k = 0; k < keys.Length; k++)
            for (var at = canonical.IndexOf(keys[k], StringComparison.Ordinal); at >= 0; at = canonical.IndexOf(keys[k], at + 1, StringComparison.Ordinal))
                expected.Add((k, at, at + keys[k].Length));
        var inOrder = recorder.Hits.Zip(recorder.Hits.Skip(1)).All(p => p.First.Item3 <= p.Second.Item3);
        return inOrder && recorder.Hits.Order().SequenceEqual(expected.Order());
    }

    private static string Random(Random random, string alphabet, int length) =>
        string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)]; });

    private struct Recorder : IKeySink
    {
        public List<(int Key, int Start, int End)> Hits;

        public readonly void OnKey(int key, int start, int end) => Hits.Add((key, start, end));
    }
}
