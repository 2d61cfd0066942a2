namespace Bulwark.Matching.Text;

/// <summary>
/// The last pass of <see cref="ReferenceTextNormalizer"/>: writes each word's folded chars with their original offsets,
/// deciding per word what cannot be decided per code point.
/// <list type="bullet">
/// <item>Cyrillic/Greek letters become their Latin look-alike when the word also has Latin letters or a
/// letter that only spoofs Latin (і, ѕ, ј); otherwise they are transliterated ("ИГИЛ" → "igil").</item>
/// <item>Digits and @ $ ! | read as letters only inside words with letters: between letters always
/// ("d4esh"), at a word edge only when alone and unambiguous ("1sis", not "isis2015" or "@name").</item>
/// </list>
/// </summary>
internal static class ReferenceWordEmitter
{
    public static void Emit(ReadOnlySpan<char> text, int offset, int unitCount, ReferenceBuffer rb, int wordCount)
    {
        _ = unitCount;
        var b = rb.Output;
        b.Length = 0;
        var units = rb.Units;
        var steps = b.Steps;
        for (var k = 0; k < wordCount; k++)
        {
            var w = rb.Words[k];
            if (k > 0)
            {
                var prev = rb.Words[k - 1];
                if (prev.JoinNext) steps |= NormalizationSteps.SeparatorsCollapsed;
                else EmitSpace(b, units[prev.End].Start, units[w.First - 1].End);
            }
            steps |= EmitWord(text, offset, units, w, b);
        }
        if (b.Length > 0 && b.Chars[b.Length - 1] == ' ') b.Length--;
        b.Steps = steps;
    }

    private static NormalizationSteps EmitWord(ReadOnlySpan<char> text, int offset, ReferenceBuffer.Unit[] units, ReferenceBuffer.Word w, NormalizationBuffer b)
    {
        var steps = NormalizationSteps.None;
        var skeletonMode = UseSkeletons(text, offset, units, w);
        var seenLetter = false;
        for (var u = w.First; u < w.End; u++)
        {
            var entry = units[u].Entry;
            switch (FoldTable.Class(entry))
            {
                case UnitClass.Transparent:
                    continue;
                case UnitClass.CyrillicGreek when skeletonMode:
                    var (skeleton, _) = FoldTable.CyrillicGreekSkeleton(text[units[u].Start - offset]);
                    if (skeleton != '\0')
                    {
                        EmitChar(b, skeleton, units[u].Start, units[u].End);
                        steps |= NormalizationSteps.Confusable;
                    }
                    else
                    {
                        EmitEntry(text, offset, b, units[u]);
                        steps |= NormalizationSteps.Transliterated;
                    }
                    seenLetter = true;
                    break;
                case UnitClass.CyrillicGreek:
                    EmitEntry(text, offset, b, units[u]);
                    steps |= NormalizationSteps.Transliterated;
                    seenLetter = true;
                    break;
                case UnitClass.Digit or UnitClass.LeetSymbol:
                    steps |= EmitDigitRun(text, offset, units, ref u, w.End, seenLetter, b);
                    break;
                default:
                    EmitEntry(text, offset, b, units[u]);
                    seenLetter = true;
                    break;
            }
        }
        return steps;
    }

    private static bool UseSkeletons(ReadOnlySpan<char> text, int offset, ReferenceBuffer.Unit[] units, ReferenceBuffer.Word w)
    {
        bool latin = false, cyrGreek = false, spoofOnly = false;
        for (var u = w.First; u < w.End; u++)
        {
            var cls = FoldTable.Class(units[u].Entry);
            if (cls == UnitClass.Latin) latin = true;
            else if (cls == UnitClass.CyrillicGreek)
            {
                cyrGreek = true;
                spoofOnly |= FoldTable.CyrillicGreekSkeleton(text[units[u].Start - offset]).SpoofOnly;
            }
        }
        return cyrGreek && (latin || spoofOnly);
    }

    /// <summary>Emits a maximal run of digits/leet symbols starting at <paramref name="u"/>, leaving u on its last unit.</summary>
    private static NormalizationSteps EmitDigitRun(ReadOnlySpan<char> text, int offset, ReferenceBuffer.Unit[] units, ref int u, int wordEnd, bool letterBefore, NormalizationBuffer b)
    {
        var end = u;
        var visible = 0;
        for (; end < wordEnd; end++)
        {
            var cls = FoldTable.Class(units[end].Entry);
            if (cls is UnitClass.Digit or UnitClass.LeetSymbol) visible++;
            else if (cls != UnitClass.Transparent) break;
        }
        var letterAfter = end < wordEnd;
        var steps = NormalizationSteps.None;
        for (; u < end; u++)
        {
            var unit = units[u];
            var cls = FoldTable.Class(unit.Entry);
            if (cls == UnitClass.Transparent) continue;
            // A digit folding to several chars ("⒒" → 11, "½" → 1 2) is written out and never read as a letter.
            var expanded = FoldTable.Kind(unit.Entry) == FoldTable.KindExpand;
            var c = expanded ? '\0' : FoldTable.Payload(unit.Entry);
            var letter = LeetLetter(c);
            var convert = letter != '\0' && (letterBefore && letterAfter || visible == 1 && (letterBefore || letterAfter) && EdgeLeet(c));
            if (convert)
            {
                EmitChar(b, letter, unit.Start, unit.End);
                steps |= NormalizationSteps.Leetspeak;
            }
            else if (cls != UnitClass.Digit) EmitSpace(b, unit.Start, unit.End);
            else if (expanded) EmitEntry(text, offset, b, unit);
            else EmitChar(b, c, unit.Start, unit.End);
        }
        u = end - 1;
        return steps;
    }

    // 1 and | read as 'i'; the pattern matcher treats i and l as one letter, so "a1" still finds "al".
    private static char LeetLetter(char c) => c switch
    {
        '0' => 'o', '1' => 'i', '2' => 'z', '3' => 'e', '4' => 'a', '5' => 's', '6' => 'g', '7' => 't', '8' => 'b', '9' => 'g',
        '@' => 'a', '$' => 's', '!' => 'i', '|' => 'i', '€' => 'e', '£' => 'l',
        _ => '\0',
    };

    // At a word edge only the common substitutions count: "1sis", "isi$" but not "isis!", "@name", "covid19".
    private static bool EdgeLeet(char c) => c is '0' or '1' or '3' or '4' or '5' or '7' or '$';

    private static void EmitEntry(ReadOnlySpan<char> text, int offset, NormalizationBuffer b, ReferenceBuffer.Unit unit)
    {
        var entry = unit.Entry;
        switch (FoldTable.Kind(entry))
        {
            case FoldTable.KindSingle:
                EmitChar(b, FoldTable.Payload(entry), unit.Start, unit.End);
                break;
            case FoldTable.KindExpand:
                foreach (var ch in FoldTable.Expansions[FoldTable.Payload(entry)])
                    if (ch == ' ') EmitSpace(b, unit.Start, unit.End);
                    else EmitChar(b, ch, unit.Start, unit.End);
                break;
            default:
                foreach (var ch in text[(unit.Start - offset)..(unit.End - offset)]) EmitChar(b, ch, unit.Start, unit.End);
                break;
        }
    }

    private static void EmitChar(NormalizationBuffer b, char c, int start, int end)
    {
        if (b.Length == b.Chars.Length) b.EnsureOutput(b.Length + 1);
        b.Chars[b.Length] = c;
        b.Starts[b.Length] = start;
        b.Ends[b.Length] = end;
        b.Length++;
    }

    /// <summary>Spaces never repeat and never lead: a second one widens the first.</summary>
    private static void EmitSpace(NormalizationBuffer b, int start, int end)
    {
        if (b.Length == 0) return;
        if (b.Chars[b.Length - 1] == ' ') { b.Ends[b.Length - 1] = end; return; }
        EmitChar(b, ' ', start, end);
    }
}
