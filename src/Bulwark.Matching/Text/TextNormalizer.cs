using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Bulwark.Matching.Text;

/// <summary>
/// Obfuscation-resistant normalisation with a map back to original offsets: NFKC, case folding, removal of format
/// chars and diacritics, Cyrillic/Greek/Arabic transliteration and homoglyph skeletons per code point
/// (<see cref="FoldTable"/>); per word, look-alike letters in mixed-script words and leetspeak; between words,
/// collapsing of separators between single letters ("i.s.i.s"). Words come out separated by one space; the result
/// never throws and is linear in the input.
/// </summary>
/// <remarks>
/// One pass over the input, writing straight into the output. Words of letters (Latin, Arabic, other scripts,
/// expansions such as ß → ss) are written as they are read, one table load per code unit. Only a word holding a
/// Cyrillic/Greek letter, a digit or a leet symbol is rewritten by <see cref="RewriteWord"/>, which needs the whole
/// word (look-alike or transliteration) or the whole digit run (leetspeak) first. A single-letter word looks ahead
/// for a run of single letters to collapse. <see cref="ReferenceTextNormalizer"/>, the multi-pass original, is the
/// specification: property tests require the same text, offsets and steps. Profiling the multi-pass version showed
/// the normaliser took about three quarters of screening time (docs/matching-notes-text.md).
/// </remarks>
public static class TextNormalizer
{
    private const int MinCollapseRun = 3;
    private const int MaxCollapsibleGap = 3;
    private const uint TransliteratedBit = (uint)NormalizationSteps.Transliterated << 21;
    private const uint StepMask = 0xFFE00000u;

    private const int MaxRetainedScratch = 1 << 16;

    [ThreadStatic] private static NormalizationBuffer? s_spanScratch;

    /// <summary>Normalises <paramref name="text"/>; null is treated as empty.</summary>
    public static NormalizedText Normalize(string? text)
    {
        var buffer = NormalizationBuffer.Rent();
        try
        {
            NormalizeInto(text.AsSpan(), buffer);
            var n = buffer.Length;
            return new NormalizedText(new string(buffer.Chars, 0, n), buffer.Starts[..n], buffer.Ends[..n], buffer.Steps);
        }
        finally
        {
            NormalizationBuffer.Return(buffer);
        }
    }

    /// <summary>The steps normalising <paramref name="text"/> on its own would report, without allocating.</summary>
    internal static NormalizationSteps StepsOf(ReadOnlySpan<char> text)
    {
        if (IsPlainLowercase(text)) return NormalizationSteps.None;
        var scratch = s_spanScratch ??= new NormalizationBuffer();
        NormalizeInto(text, scratch);
        // A span padded with a long run of invisible chars would otherwise keep its buffer alive with the thread.
        if (scratch.Chars.Length > MaxRetainedScratch) s_spanScratch = null;
        return scratch.Steps;
    }

    /// <summary>
    /// Only a–z and spaces, and no one-letter word: nothing to fold, no word to rewrite and no run of single letters
    /// to collapse, so normalising it takes no step. Most matches are written plainly; this spares normalising them again.
    /// </summary>
    private static bool IsPlainLowercase(ReadOnlySpan<char> text)
    {
        var wordLength = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (wordLength == 1) return false;
                wordLength = 0;
            }
            else if (char.IsAsciiLetterLower(c)) wordLength++;
            else return false;
        }
        return wordLength != 1;
    }

    /// <summary>Normalises into a reusable buffer; <paramref name="offset"/> is added to every original offset.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]  // one call per window; kept out of callers so profiles attribute it
    internal static void NormalizeInto(ReadOnlySpan<char> text, NormalizationBuffer buffer, int offset = 0)
    {
        var n = text.Length;
        // A code point writes at most one char per char it spans, except an expansion, which makes room for itself
        // (Writer.EmitEntry). So with n + 1 chars of room the loops below write without checks.
        buffer.EnsureOutput(n + 1);
        var w = new Writer(buffer, offset);
        ref var input = ref MemoryMarshal.GetReference(text);
        ref var bmp = ref MemoryMarshal.GetArrayDataReference(FoldTable.Bmp);
        ref var chars = ref MemoryMarshal.GetArrayDataReference(buffer.Chars);
        ref var starts = ref MemoryMarshal.GetArrayDataReference(buffer.Starts);
        ref var ends = ref MemoryMarshal.GetArrayDataReference(buffer.Ends);
        var o = 0;             // output length
        uint stepBits = 0;
        var wordSeen = false;
        var previousEnd = 0;   // end of the previous word in text
        var joinNext = false;  // the gap after the previous word is collapsed
        var runLeft = 0;       // words of a collapsing run still to come
        var i = 0;
        while (i < n)
        {
            var entry = Decode(text, i, out var next);
            var cls = FoldTable.Class(entry);
            if (cls == UnitClass.Gap)
            {
                stepBits |= entry;
                i = next;
                continue;
            }

            // A run of non-gap code points; it is a word once it holds something other than transparent ones.
            var runStart = i;
            while (cls == UnitClass.Transparent)
            {
                stepBits |= entry;
                i = next;
                if (i >= n) break;
                entry = Decode(text, i, out next);
                cls = FoldTable.Class(entry);
            }
            if (i >= n || cls == UnitClass.Gap) continue;

            if (wordSeen)
            {
                // One space for the gap; never leading, never doubled (after a symbol's space the gap widens it).
                if (joinNext) w.Steps |= NormalizationSteps.SeparatorsCollapsed;
                else if (o > 0 && Unsafe.Add(ref chars, o - 1) == ' ') Unsafe.Add(ref ends, o - 1) = runStart + offset;
                else if (o > 0)
                {
                    Unsafe.Add(ref chars, o) = ' ';
                    Unsafe.Add(ref starts, o) = previousEnd + offset;
                    Unsafe.Add(ref ends, o) = runStart + offset;
                    o++;
                }
            }
            wordSeen = true;
            var wordOut = o;
            var letters = 0;
            var others = 0;  // visible code points that are not letters
            while (true)
            {
                if (IsPlainLetter(entry) && next == i + 1)
                {
                    // The common case: BMP letters that fold to one char, written straight out until something else.
                    do
                    {
                        if (Vector256.IsHardwareAccelerated && i + AsciiBlock <= n && char.IsAsciiLetterLower(Unsafe.Add(ref input, (nint)i)))
                        {
                            var take = AsciiRun(ref input, i, letters, out var spaces);
                            if (take > 1)  // one char is written cheaper below
                            {
                                // Up to 8 chars of a–z and single spaces, written as they are with themselves as
                                // offsets (none of them has a step; see AsciiRun for why the words need no more).
                                var at = Vector256.Create(i + offset) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                                Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref input), (nuint)i)
                                    .StoreUnsafe(ref Unsafe.As<char, ushort>(ref chars), (nuint)o);
                                at.StoreUnsafe(ref starts, (nuint)o);
                                (at + Vector256<int>.One).StoreUnsafe(ref ends, (nuint)o);
                                if (spaces != 0)
                                {
                                    var last = 31 - BitOperations.LeadingZeroCount(spaces);
                                    previousEnd = i + last;
                                    runStart = i + last + 1;
                                    wordOut = o + last + 1;
                                    letters = take - last - 1;
                                }
                                else
                                {
                                    letters += take;
                                }
                                o += take;
                                i += take;
                                if (i >= n) break;
                                entry = Unsafe.Add(ref bmp, (nint)Unsafe.Add(ref input, (nint)i));
                                continue;
                            }
                        }
                        stepBits |= entry;
                        Unsafe.Add(ref chars, o) = (char)entry;
                        Unsafe.Add(ref starts, o) = i + offset;
                        Unsafe.Add(ref ends, o) = i + 1 + offset;
                        o++;
                        letters++;
                        if (++i >= n) break;
                        entry = Unsafe.Add(ref bmp, (nint)Unsafe.Add(ref input, (nint)i));  // a surrogate reads as a gap: decoded below
                    }
                    while (IsPlainLetter(entry));
                    if (i >= n) break;
                    if (Unsafe.Add(ref input, (nint)i) == ' ' && runLeft == 0 && letters >= 2 && i + 1 < n
                        && Unsafe.Add(ref chars, o - 1) != ' ')
                    {
                        var after = Unsafe.Add(ref bmp, (nint)Unsafe.Add(ref input, (nint)(i + 1)));
                        if (IsPlainLetter(after))
                        {
                            // The usual word boundary, kept in this loop: one space, then a word of plain letters. The
                            // word that ends has two letters or more, so it starts no collapsing run (joinNext stays
                            // false), and the space maps to itself.
                            stepBits |= entry;
                            Unsafe.Add(ref chars, o) = ' ';
                            Unsafe.Add(ref starts, o) = i + offset;
                            Unsafe.Add(ref ends, o) = i + 1 + offset;
                            o++;
                            previousEnd = i;
                            runStart = ++i;
                            wordOut = o;
                            letters = 0;
                            entry = after;
                            next = i + 1;
                            continue;
                        }
                    }
                    entry = Decode(text, i, out next);
                    cls = FoldTable.Class(entry);
                    if (cls == UnitClass.Gap) break;
                    continue;
                }
                if (cls is UnitClass.Latin or UnitClass.OtherLetter)
                {
                    // An expansion (ß → ss), or an astral letter folded or kept.
                    stepBits |= entry;
                    w.Length = o;
                    w.EmitEntry(text, entry, i, next);
                    o = w.Length;
                    chars = ref MemoryMarshal.GetArrayDataReference(buffer.Chars);
                    starts = ref MemoryMarshal.GetArrayDataReference(buffer.Starts);
                    ends = ref MemoryMarshal.GetArrayDataReference(buffer.Ends);
                    letters++;
                }
                else if (cls == UnitClass.Transparent)
                {
                    stepBits |= entry;
                }
                else
                {
                    // Cyrillic/Greek, digit or leet symbol: the word's own context decides. A word starting in
                    // Cyrillic/Greek is usually all Cyrillic/Greek and transliterated as it is read; otherwise, or
                    // when it turns out not to be, it is redone whole.
                    if (cls == UnitClass.CyrillicGreek && letters == 0)
                    {
                        w.Length = o;
                        var end = TransliterateWord(text, i, ref w, ref stepBits, out letters);
                        if (end >= 0)
                        {
                            i = end;
                            o = w.Length;
                            chars = ref MemoryMarshal.GetArrayDataReference(buffer.Chars);
                            starts = ref MemoryMarshal.GetArrayDataReference(buffer.Starts);
                            ends = ref MemoryMarshal.GetArrayDataReference(buffer.Ends);
                            break;
                        }
                    }
                    w.Length = wordOut;
                    i = RewriteWord(text, runStart, ref w, ref stepBits, out letters, out others);
                    o = w.Length;
                    chars = ref MemoryMarshal.GetArrayDataReference(buffer.Chars);
                    starts = ref MemoryMarshal.GetArrayDataReference(buffer.Starts);
                    ends = ref MemoryMarshal.GetArrayDataReference(buffer.Ends);
                    break;
                }
                i = next;
                if (i >= n) break;
                entry = Decode(text, i, out next);
                cls = FoldTable.Class(entry);
                if (cls == UnitClass.Gap) break;
            }

            previousEnd = i;
            if (runLeft > 0)
            {
                runLeft--;
                joinNext = runLeft > 0;
            }
            else if (letters == 1 && others == 0)
            {
                var run = CollapseRunLength(text, i);
                runLeft = run >= MinCollapseRun ? run - 1 : 0;
                joinNext = runLeft > 0;
            }
            else
            {
                joinNext = false;
            }
        }
        if (o > 0 && Unsafe.Add(ref chars, o - 1) == ' ') o--;
        buffer.Length = o;
        buffer.Steps = FoldTable.Steps(stepBits & StepMask) | w.Steps;
    }

    private const int AsciiBlock = 8;

    // An entry's kind (bits 16–17) single and class (bits 18–20) CyrillicGreek.
    private const uint KindClassMask = 0b11111u << 16;
    private const uint CyrillicGreekSingle = (uint)UnitClass.CyrillicGreek << 18;

    /// <summary>
    /// How many of the 8 chars at <paramref name="i"/> (inside a word, <paramref name="letters"/> of it written) can be
    /// copied as they are: the leading run of a–z and spaces, ending on a letter. Such chars fold to themselves with no
    /// step, and a single space between words maps to itself. A space is taken only where the scalar path would do
    /// nothing else: not doubled, and every word it ends has two letters or more (a one-letter word may start a
    /// collapsing run, "i s i s", and every word inside one has one letter, so no space in a run is taken);
    /// otherwise only the letters before the first space are taken. <paramref name="spaces"/> marks the spaces taken.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AsciiRun(ref char input, int i, int letters, out uint spaces)
    {
        var v = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref input), (nuint)i);
        var space = Vector128.Equals(v, Vector128.Create((ushort)' '));
        var lower = Vector128.LessThan(v - Vector128.Create((ushort)'a'), Vector128.Create((ushort)26));
        var take = BitOperations.TrailingZeroCount(~(space | lower).ExtractMostSignificantBits());  // 0..8
        spaces = space.ExtractMostSignificantBits() & ((1u << take) - 1);
        if (take > 0 && (spaces >> (take - 1) & 1) != 0)
        {
            take--;
            spaces &= ~(1u << take);
        }
        if (spaces == 0) return take;
        var letterBits = ~spaces & ((1u << take) - 1);
        var first = BitOperations.TrailingZeroCount(spaces);
        if ((spaces & spaces >> 1) == 0 && letters + first >= 2 && (letterBits & spaces << 1 & spaces >> 1) == 0)
            return take;
        spaces = 0;
        return first;
    }

    /// <summary>Latin or other-script letter folding to a single char (kind single, class Latin or OtherLetter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainLetter(uint entry) => (entry & PlainLetterMask) == PlainLetterBits;

    // Bits 16–20 of an entry are kind (2 bits) and class (3 bits): kind 0, class 1 (Latin) or 3 (OtherLetter),
    // i.e. the class's bit 0 set and bit 2 clear, bit 1 free.
    private const uint PlainLetterMask = 0b10111u << 16;
    private const uint PlainLetterBits = 0b00100u << 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Decode(ReadOnlySpan<char> text, int i, out int next)
    {
        var c = text[i];
        if (char.IsSurrogate(c)) return DecodeSurrogate(text, i, out next);
        next = i + 1;
        return FoldTable.Lookup(c);
    }

    /// <summary>A surrogate pair as one code point; a lone surrogate is a gap (the BMP table says so).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint DecodeSurrogate(ReadOnlySpan<char> text, int i, out int next)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            next = i + 2;
            return FoldTable.LookupAstral(char.ConvertToUtf32(c, text[i + 1]));
        }
        next = i + 1;
        return FoldTable.Lookup(c);
    }

    /// <summary>
    /// Writes the word starting at <paramref name="start"/> the slow way and returns where it ends. Cyrillic/Greek
    /// letters become their Latin look-alike when the word also has Latin letters or a letter that only spoofs
    /// Latin (і, ѕ, ј), otherwise they are transliterated ("ИГИЛ" → "igil"); digit runs go to <see cref="EmitDigitRun"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RewriteWord(ReadOnlySpan<char> text, int start, ref Writer w, ref uint stepBits, out int letters, out int others)
    {
        bool latin = false, cyrillicGreek = false, spoofOnly = false;
        letters = 0;
        others = 0;
        var end = start;
        while (end < text.Length)
        {
            var entry = Decode(text, end, out var next);
            var cls = FoldTable.Class(entry);
            if (cls == UnitClass.Gap) break;
            // Cyrillic/Greek letters may end up as look-alikes instead; the loop below reports which.
            stepBits |= cls == UnitClass.CyrillicGreek ? entry & ~TransliteratedBit : entry;
            switch (cls)
            {
                case UnitClass.Latin:
                    latin = true;
                    letters++;
                    break;
                case UnitClass.CyrillicGreek:
                    cyrillicGreek = true;
                    spoofOnly |= FoldTable.CyrillicGreekSkeleton(text[end]).SpoofOnly;
                    letters++;
                    break;
                case UnitClass.OtherLetter:
                    letters++;
                    break;
                case UnitClass.Digit or UnitClass.LeetSymbol:
                    others++;
                    break;
            }
            end = next;
        }

        var skeletons = cyrillicGreek && (latin || spoofOnly);
        var seenLetter = false;
        for (var u = start; u < end;)
        {
            var entry = Decode(text, u, out var next);
            switch (FoldTable.Class(entry))
            {
                case UnitClass.Transparent:
                    break;
                case UnitClass.CyrillicGreek:
                    var skeleton = skeletons ? FoldTable.CyrillicGreekSkeleton(text[u]).Skeleton : '\0';
                    if (skeleton != '\0')
                    {
                        w.Emit(skeleton, u, next);
                        w.Steps |= NormalizationSteps.Confusable;
                    }
                    else
                    {
                        w.EmitEntry(text, entry, u, next);
                        w.Steps |= NormalizationSteps.Transliterated;
                    }
                    seenLetter = true;
                    break;
                case UnitClass.Digit or UnitClass.LeetSymbol:
                    next = EmitDigitRun(text, u, end, seenLetter, ref w);
                    break;
                default:
                    w.EmitEntry(text, entry, u, next);
                    seenLetter = true;
                    break;
            }
            u = next;
        }
        return end;
    }

    /// <summary>
    /// The rest of a word whose first letter, at <paramref name="start"/>, is Cyrillic/Greek, transliterated in one
    /// pass ("ИГИЛ" → "igil") as <see cref="RewriteWord"/> would: returns where the word ends, or −1 as soon as
    /// something makes its context matter (a Latin letter, a digit or leet symbol, a letter that only spoofs Latin);
    /// the caller then rewrites the word whole over what was written.
    /// </summary>
    private static int TransliterateWord(ReadOnlySpan<char> text, int start, ref Writer w, ref uint stepBits, out int letters)
    {
        letters = 0;
        uint bits = 0;
        var u = start;
        while (u < text.Length)
        {
            u = w.EmitCyrillicGreekRun(text, u, ref bits, ref letters);
            if (u >= text.Length) break;
            var entry = Decode(text, u, out var next);
            switch (FoldTable.Class(entry))
            {
                case UnitClass.Gap:
                    stepBits |= bits;
                    w.Steps |= NormalizationSteps.Transliterated;
                    return u;
                case UnitClass.CyrillicGreek:
                    if (FoldTable.CyrillicGreekSkeleton(text[u]).SpoofOnly) return -1;
                    bits |= entry & ~TransliteratedBit;
                    w.EmitEntry(text, entry, u, next);
                    letters++;
                    break;
                case UnitClass.OtherLetter:
                    bits |= entry;
                    w.EmitEntry(text, entry, u, next);
                    letters++;
                    break;
                case UnitClass.Transparent:
                    bits |= entry;
                    break;
                default:
                    return -1;
            }
            u = next;
        }
        stepBits |= bits;
        w.Steps |= NormalizationSteps.Transliterated;
        return u;
    }

    /// <summary>
    /// Writes the run of digits and leet symbols starting at <paramref name="start"/> and returns where it ends. They
    /// read as letters between letters always ("d4esh"), at a word edge only when alone and a common substitute
    /// ("1sis", not "isis2015" or "@name"); symbols that stay symbols become spaces.
    /// </summary>
    private static int EmitDigitRun(ReadOnlySpan<char> text, int start, int wordEnd, bool letterBefore, ref Writer w)
    {
        var end = start;
        var visible = 0;
        while (end < wordEnd)
        {
            var entry = Decode(text, end, out var next);
            var cls = FoldTable.Class(entry);
            if (cls is UnitClass.Digit or UnitClass.LeetSymbol) visible++;
            else if (cls != UnitClass.Transparent) break;
            end = next;
        }
        var letterAfter = end < wordEnd;
        for (var u = start; u < end;)
        {
            var entry = Decode(text, u, out var next);
            var cls = FoldTable.Class(entry);
            if (cls != UnitClass.Transparent)
            {
                // Only a digit or symbol that folds to one char can stand for a letter; "⒒" (11) and "½" (1 2) are
                // written out, their payload is an index into the expansions, not a char.
                var expanded = FoldTable.Kind(entry) == FoldTable.KindExpand;
                var c = expanded ? '\0' : FoldTable.Payload(entry);
                var letter = LeetLetter(c);
                if (letter != '\0' && (letterBefore && letterAfter || visible == 1 && (letterBefore || letterAfter) && EdgeLeet(c)))
                {
                    w.Emit(letter, u, next);
                    w.Steps |= NormalizationSteps.Leetspeak;
                }
                else if (cls != UnitClass.Digit) w.EmitSpace(u, next);
                else if (expanded) w.EmitEntry(text, entry, u, next);
                else w.Emit(c, u, next);
            }
            u = next;
        }
        return end;
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

    /// <summary>
    /// How many single-letter words, starting with the one that ends at <paramref name="from"/>, follow each other with
    /// the same short separator ("i.s.i.s": 4; "x I.S.I.S y": the dotted part only). Runs of at least
    /// <see cref="MinCollapseRun"/> are glued; two single letters ("u.s.") are left alone so initials are not.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CollapseRunLength(ReadOnlySpan<char> text, int from)
    {
        var count = 1;
        var separator = -1;
        var i = from;
        while (true)
        {
            // The gap: its visible chars give the signature (first separator, count); transparent runs count for nothing.
            var visible = 0;
            var first = '\0';
            while (i < text.Length)
            {
                var cls = FoldTable.Class(Decode(text, i, out var next));
                if (cls == UnitClass.Gap)
                {
                    var c = text[i];
                    if (++visible > MaxCollapsibleGap || !IsSeparator(c)) return count;
                    if (visible == 1) first = c;
                }
                else if (cls != UnitClass.Transparent) break;
                i = next;
            }
            if (i >= text.Length) return count;
            var signature = first << 4 | visible;
            if (count == 1) separator = signature;
            else if (signature != separator) return count;

            // The next word must be one letter too.
            var shown = 0;
            var letter = false;
            while (i < text.Length)
            {
                var cls = FoldTable.Class(Decode(text, i, out var next));
                if (cls == UnitClass.Gap) break;
                if (cls != UnitClass.Transparent)
                {
                    if (++shown > 1) return count;
                    letter = cls is UnitClass.Latin or UnitClass.CyrillicGreek or UnitClass.OtherLetter;
                }
                i = next;
            }
            if (!letter) return count;
            count++;
        }
    }

    private static bool IsSeparator(char c) =>
        c is ' ' or '.' or '-' or '_' or '*' or '/' or '+' or '~' or '\u00B7' or '\u2022' or '\u3000' or '\u00A0';

    /// <summary>The output being written: chars with their original offsets, and the steps decided per word.</summary>
    private ref struct Writer
    {
        private readonly NormalizationBuffer _buffer;
        private readonly int _offset;
        private char[] _chars;
        private int[] _starts;
        private int[] _ends;
        public int Length;
        public NormalizationSteps Steps;

        public Writer(NormalizationBuffer buffer, int offset)
        {
            _buffer = buffer;
            _offset = offset;
            _chars = buffer.Chars;
            _starts = buffer.Starts;
            _ends = buffer.Ends;
        }

        /// <summary>One char for the code point at text <c>[start, end)</c>; room is guaranteed by the caller.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void EmitFast(char c, int start, int end)
        {
            var k = Length;
            _chars[k] = c;
            _starts[k] = start + _offset;
            _ends[k] = end + _offset;
            Length = k + 1;
        }

        public void Emit(char c, int start, int end) => EmitFast(c, start, end);

        /// <summary>
        /// The run of letters from <paramref name="start"/> that <see cref="TransliterateWord"/> writes most: BMP
        /// Cyrillic/Greek letters folding to one char, not spoof-only. Writes them as its CyrillicGreek case would, in
        /// locals (that case keeps the output length, the letter count and the step bits in memory, a store-to-load
        /// chain per char), and returns where the run stops. A surrogate is a gap in the table, so never in the run.
        /// </summary>
        public int EmitCyrillicGreekRun(ReadOnlySpan<char> text, int start, ref uint bits, ref int letters)
        {
            var table = FoldTable.Bmp;
            var chars = _chars;
            var starts = _starts;
            var ends = _ends;
            var k = Length;
            var at = start;
            uint seen = 0;
            while ((uint)at < (uint)text.Length)
            {
                var c = text[at];
                var entry = table[c];
                if ((entry & KindClassMask) != CyrillicGreekSingle || FoldTable.IsSpoofOnly(c)) break;
                seen |= entry;
                // Room for one char per input char is guaranteed by NormalizeInto.
                chars[k] = (char)entry;
                starts[k] = at + _offset;
                ends[k] = at + 1 + _offset;
                k++;
                at++;
            }
            if (at == start) return at;
            Length = k;
            bits |= seen & ~TransliteratedBit;
            letters += at - start;
            return at;
        }

        /// <summary>Spaces never repeat and never lead: a second one widens the first.</summary>
        public void EmitSpace(int start, int end)
        {
            if (Length == 0) return;
            if (_chars[Length - 1] == ' ') { _ends[Length - 1] = end + _offset; return; }
            EmitFast(' ', start, end);
        }

        /// <summary>A folded code point: its single char, its expansion (ß → ss), or its original chars kept.</summary>
        public void EmitEntry(ReadOnlySpan<char> text, uint entry, int start, int end)
        {
            switch (FoldTable.Kind(entry))
            {
                case FoldTable.KindSingle:
                    EmitFast(FoldTable.Payload(entry), start, end);
                    break;
                case FoldTable.KindExpand:
                    var expansion = FoldTable.Expansions[FoldTable.Payload(entry)];
                    EnsureRoom(expansion.Length + text.Length - end);
                    foreach (var ch in expansion)
                        if (ch == ' ') EmitSpace(start, end);
                        else EmitFast(ch, start, end);
                    break;
                default:
                    foreach (var ch in text[start..end]) EmitFast(ch, start, end);
                    break;
            }
        }

        public void TrimTrailingSpace()
        {
            if (Length > 0 && _chars[Length - 1] == ' ') Length--;
        }

        private void EnsureRoom(int more)
        {
            if (_chars.Length >= Length + more + 1) return;
            _buffer.EnsureOutput(Length + more + 1);
            _chars = _buffer.Chars;
            _starts = _buffer.Starts;
            _ends = _buffer.Ends;
        }
    }
}
