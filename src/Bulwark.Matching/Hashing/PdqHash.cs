using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Bulwark.Matching.Hashing;

/// <summary>
/// A 256-bit PDQ hash. Bit <c>k</c> (k = 16·row + column of the 16×16 DCT) is bit <c>k % 64</c> of word <c>k / 64</c>,
/// so the reference hex text (64 lowercase hex digits, most significant first) is simply the 256-bit number in base 16.
/// </summary>
public readonly record struct PdqHash(ulong W0, ulong W1, ulong W2, ulong W3)
{
    /// <summary>Number of hex characters in the reference text form.</summary>
    public const int HexLength = 64;

    /// <summary>The hash with every bit clear (what the reference returns for images too small to hash).</summary>
    public static PdqHash Zero => default;

    /// <summary>Number of differing bits (0–256).</summary>
    public int HammingDistance(in PdqHash other) =>
        BitOperations.PopCount(W0 ^ other.W0) + BitOperations.PopCount(W1 ^ other.W1)
        + BitOperations.PopCount(W2 ^ other.W2) + BitOperations.PopCount(W3 ^ other.W3);

    /// <summary>Number of set bits.</summary>
    public int PopCount => BitOperations.PopCount(W0) + BitOperations.PopCount(W1) + BitOperations.PopCount(W2) + BitOperations.PopCount(W3);

    /// <summary>Bit <paramref name="index"/> (0–255), numbered as in the reference (16·row + column).</summary>
    public bool this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 255);
            var word = (index >> 6) switch { 0 => W0, 1 => W1, 2 => W2, _ => W3 };
            return ((word >> (index & 63)) & 1) != 0;
        }
    }

    /// <summary>Word <paramref name="i"/> (0 = least significant).</summary>
    public ulong Word(int i) => i switch { 0 => W0, 1 => W1, 2 => W2, 3 => W3, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    /// <summary>The reference text form: 64 lowercase hex digits.</summary>
    public override string ToString() => string.Create(HexLength, this, static (span, h) =>
    {
        h.W3.TryFormat(span[..16], out _, "x16");
        h.W2.TryFormat(span[16..32], out _, "x16");
        h.W1.TryFormat(span[32..48], out _, "x16");
        h.W0.TryFormat(span[48..], out _, "x16");
    });

    /// <summary>Parses the 64-hex-digit form (either case); throws <see cref="FormatException"/> naming the problem.</summary>
    public static PdqHash Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var hash, out var error) ? hash : throw new FormatException(error);

    /// <summary>Parses the 64-hex-digit form (either case).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PdqHash hash) => TryParse(text, out hash, out _);

    /// <summary>Parses the 64-hex-digit form; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PdqHash hash, [NotNullWhen(false)] out string? error)
    {
        hash = default;
        if (text.Length != HexLength)
        {
            error = $"A PDQ hash is {HexLength} hex characters; got {text.Length}.";
            return false;
        }
        Span<ulong> w = stackalloc ulong[4];
        for (var i = 0; i < HexLength; i++)
        {
            var c = text[i];
            int v = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                error = $"A PDQ hash holds only hex digits; character {i} is '{c}'.";
                return false;
            }
            // Character 0 is the most significant nibble of W3.
            var word = 3 - (i >> 4);
            w[word] = (w[word] << 4) | (uint)v;
        }
        hash = new PdqHash(w[0], w[1], w[2], w[3]);
        error = null;
        return true;
    }

    /// <summary>Builds a hash from 256 bits laid out as the reference does (bit k = 16·row + column).</summary>
    internal static PdqHash FromBits(ReadOnlySpan<ulong> words) => new(words[0], words[1], words[2], words[3]);
}
