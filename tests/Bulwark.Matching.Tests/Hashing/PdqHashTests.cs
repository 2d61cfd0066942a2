using Bulwark.Matching.Hashing;
using FsCheck.Xunit;

namespace Bulwark.Matching.Tests.Hashing;

public class PdqHashTests
{
    [Property]
    public bool Hex_round_trips(ulong a, ulong b, ulong c, ulong d)
    {
        var h = new PdqHash(a, b, c, d);
        var text = h.ToString();
        return text.Length == 64 && text == text.ToLowerInvariant() && PdqHash.Parse(text) == h && PdqHash.Parse(text.ToUpperInvariant()) == h;
    }

    [Property]
    public bool Distance_is_popcount_of_xor_bit_by_bit(ulong a, ulong b, ulong c, ulong d, ulong e)
    {
        var x = new PdqHash(a, b, c, d);
        var y = new PdqHash(e, a, d ^ e, c);
        var slow = Enumerable.Range(0, 256).Count(i => x[i] != y[i]);
        return x.HammingDistance(y) == slow && y.HammingDistance(x) == slow && x.HammingDistance(x) == 0;
    }

    [Fact]
    public void Bit_numbering_follows_the_reference_text()
    {
        // The last hex digit holds bits 0–3; the first holds bits 252–255.
        var h = PdqHash.Parse(new string('0', 63) + "1");
        Assert.True(h[0]);
        Assert.Equal(1, h.PopCount);
        Assert.True(PdqHash.Parse("8" + new string('0', 63))[255]);
    }

    [Theory]
    [InlineData("", "got 0")]
    [InlineData("abc", "got 3")]
    [InlineData("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b2", "got 63")]
    [InlineData("g8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", "character 0 is 'g'")]
    [InlineData("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b2 ", "character 63 is ' '")]
    public void Parse_errors_name_the_problem(string text, string expected)
    {
        Assert.False(PdqHash.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
        Assert.Contains(expected, Assert.Throws<FormatException>(() => PdqHash.Parse(text)).Message);
    }
}
