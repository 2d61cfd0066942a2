namespace Bulwark.Matching.Text;

/// <summary>
/// The simple multi-pass normaliser that <see cref="TextNormalizer"/> must equal, kept as the reference for the
/// property tests and the benchmarks only. Steps, each a pass with its own array: per code point NFKC, case folding,
/// removal of format chars and diacritics, Cyrillic/Greek/Arabic transliteration and homoglyph skeletons
/// (<see cref="FoldTable"/>) into units; words found among the units; runs of single letters marked for collapsing;
/// then per word: look-alike letters in mixed-script words, leetspeak, and output (<see cref="ReferenceWordEmitter"/>).
/// </summary>
internal static class ReferenceTextNormalizer
{
    /// <summary>Normalises <paramref name="text"/>; null is treated as empty.</summary>
    public static NormalizedText Normalize(string? text)
    {
        var output = new NormalizationBuffer();
        NormalizeInto(text.AsSpan(), output);
        var n = output.Length;
        return new NormalizedText(new string(output.Chars, 0, n), output.Starts[..n], output.Ends[..n], output.Steps);
    }

    /// <summary>Normalises into <paramref name="output"/>; <paramref name="offset"/> is added to every original offset.</summary>
    internal static void NormalizeInto(ReadOnlySpan<char> text, NormalizationBuffer output, int offset = 0)
    {
        var buffer = ReferenceBuffer.ForThread(output);
        var units = Decode(text, buffer, offset, out var steps);
        var words = FindWords(units, buffer);
        MarkCollapsibleRuns(text, offset, buffer.Units, words, buffer.Words);
        buffer.Output.Steps = steps;
        ReferenceWordEmitter.Emit(text, offset, units, buffer, words);
    }

    /// <summary>Pass 1: one folded unit per code point.</summary>
    private static int Decode(ReadOnlySpan<char> text, ReferenceBuffer buffer, int offset, out NormalizationSteps steps)
    {
        buffer.EnsureUnits(text.Length);
        var units = buffer.Units;
        var n = 0;
        uint stepBits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            uint entry;
            var start = i;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                entry = FoldTable.LookupAstral(char.ConvertToUtf32(c, text[i + 1]));
                i++;
            }
            else
            {
                entry = FoldTable.Lookup(c);
            }
            // Cyrillic/Greek letters may end up as look-alikes instead; the emitter reports which.
            stepBits |= FoldTable.Class(entry) == UnitClass.CyrillicGreek ? entry & ~TransliteratedBit : entry;
            units[n++] = new ReferenceBuffer.Unit { Entry = entry, Start = start + offset, End = i + 1 + offset };
        }
        steps = FoldTable.Steps(stepBits & 0xFFE00000u);
        return n;
    }

    /// <summary>Words are maximal runs of non-gap units; a run of only transparent units is no word.</summary>
    private static int FindWords(int unitCount, ReferenceBuffer buffer)
    {
        var units = buffer.Units;
        var count = 0;
        var i = 0;
        while (i < unitCount)
        {
            if (FoldTable.Class(units[i].Entry) == UnitClass.Gap) { i++; continue; }
            var first = i;
            var visible = 0;
            var letters = 0;
            for (; i < unitCount; i++)
            {
                var cls = FoldTable.Class(units[i].Entry);
                if (cls == UnitClass.Gap) break;
                if (cls == UnitClass.Transparent) continue;
                visible++;
                if (cls is UnitClass.Latin or UnitClass.CyrillicGreek or UnitClass.OtherLetter) letters++;
            }
            if (visible == 0) continue;
            buffer.EnsureWords(count + 1);
            buffer.Words[count++] = new ReferenceBuffer.Word { First = first, End = i, SingleLetter = visible == 1 && letters == 1 };
        }
        return count;
    }

    /// <summary>
    /// Marks runs of at least <see cref="MinCollapseRun"/> single-letter words separated by short runs of
    /// spaces or dots/dashes/underscores ("i.s.i.s", "I S I S"). Two single letters ("u.s.") are left alone
    /// so initials and ordinary words are not glued together.
    /// </summary>
    private static void MarkCollapsibleRuns(ReadOnlySpan<char> text, int offset, ReferenceBuffer.Unit[] units, int wordCount, ReferenceBuffer.Word[] words)
    {
        var k = 0;
        while (k < wordCount)
        {
            if (!words[k].SingleLetter) { k++; continue; }
            // Every gap in a run must be the same separator: "x I.S.I.S y" collapses only the dotted part.
            var end = k + 1;
            var separator = k + 1 < wordCount ? GapSignature(text, offset, units, words[k].End, words[k + 1].First) : -1;
            while (end < wordCount && words[end].SingleLetter && separator >= 0
                   && GapSignature(text, offset, units, words[end - 1].End, words[end].First) == separator) end++;
            if (end - k < MinCollapseRun) { k++; continue; }  // a later word may start a run
            for (var j = k; j < end - 1; j++) words[j].JoinNext = true;
            k = end;
        }
    }

    private const int MinCollapseRun = 3;
    private const uint TransliteratedBit = (uint)NormalizationSteps.Transliterated << 21;
    private const int MaxCollapsibleGap = 3;

    /// <summary>(first separator char, visible length) of a short separator gap, or -1 if the gap is not one.</summary>
    private static int GapSignature(ReadOnlySpan<char> text, int offset, ReferenceBuffer.Unit[] units, int from, int to)
    {
        var visible = 0;
        var first = '\0';
        for (var u = from; u < to; u++)
        {
            if (FoldTable.Class(units[u].Entry) == UnitClass.Transparent) continue;
            var c = text[units[u].Start - offset];
            if (++visible > MaxCollapsibleGap) return -1;
            if (c is not (' ' or '.' or '-' or '_' or '*' or '/' or '+' or '~' or '\u00B7' or '\u2022' or '\u3000' or '\u00A0')) return -1;
            if (visible == 1) first = c;
        }
        return visible == 0 ? -1 : first << 4 | visible;
    }
}
