using Bulwark.Core.Signals.Classifiers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// The featuriser sorts its raw feature indices with a radix sort (<c>TextFeaturizer.SortIndices</c>) instead of
/// <see cref="Array.Sort{T}(T[], int, int)"/>; these properties hold it to the simple reference: the same order for any keys
/// of any width, and the same vector, index for index and bit for bit, for any text under every feature setting.
/// </summary>
public class FeaturizerSortProperties
{
    /// <summary>Keys of 1–30 bits, from a few to a few thousand, sometimes drawn from a small pool so runs of equal keys are long.</summary>
    private static Gen<(int Bits, int[] Keys)> KeysGen =>
        from bits in Gen.Choose(1, 30)
        from count in Gen.OneOf(Gen.Choose(0, 120), Gen.Choose(90, 4000))
        from pool in Gen.Choose(1, 64)
        from seed in Gen.Choose(0, int.MaxValue)
        from fewDistinct in Gen.Elements(true, false)
        select (bits, MakeKeys(bits, count, fewDistinct ? pool : 0, seed));

    private static int[] MakeKeys(int bits, int count, int pool, int seed)
    {
        var random = new Random(seed);
        var limit = 1L << bits;
        var distinct = Enumerable.Range(0, Math.Max(pool, 1)).Select(_ => (int)random.NextInt64(limit)).ToArray();
        return Enumerable.Range(0, count).Select(_ => pool > 0 ? distinct[random.Next(distinct.Length)] : (int)random.NextInt64(limit)).ToArray();
    }

    [Property(MaxTest = 500)]
    public Property Radix_sort_orders_keys_exactly_as_Array_Sort() =>
        Prop.ForAll(KeysGen.ToArbitrary(), input =>
        {
            var (bits, keys) = input;
            var expected = keys.ToArray();
            Array.Sort(expected);
            // Spare capacity past the count, as the featuriser's buffers have, must be left out of the sort.
            var buffer = keys.Concat(Enumerable.Repeat(-1, 7)).ToArray();
            int[] scratch = [];
            var sorted = TextFeaturizer.SortIndices(buffer, keys.Length, bits, ref scratch);
            return sorted.AsSpan(0, keys.Length).SequenceEqual(expected);
        });

    private static readonly string[] Words =
    [
        "muslims", "immigrants", "women", "are", "not", "never", "wonderful", "disgusting", "don't", "hate", "you", "kill",
        "tomorrow", "school", "\"quote\"", "«citazione»", "gli", "immigrati", "non", "sono", "feccia", "saying", "h4te", "k i l l",
        "😂", "#live", "https://example.org/x", "?", ".", ",", "\n", "…", "(aside)", "I", "say", "stop", "calling", "them", "animals",
    ];

    private static Gen<string> TextGen => Gen.OneOf(
        from n in Gen.Choose(0, 120)
        from words in Gen.ListOf(Gen.Elements(Words), n)
        select string.Join(' ', words),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        Gen.Choose(1, 9000).Select(n => string.Concat(Enumerable.Range(0, n).Select(i => (char)('a' + i * 7 % 26)))));

    private static readonly FeatureOptions[] Settings =
    [
        FeatureOptions.Shipped, new FeatureOptions(), FeatureOptions.BagOfWords,
        FeatureOptions.Shipped with { HashBits = 10 }, FeatureOptions.Shipped with { HashBits = 24 }, new FeatureOptions { HashBits = 30 },
    ];

    [Property(MaxTest = 300)]
    public Property Featurising_with_the_radix_sort_equals_featurising_with_Array_Sort() =>
        Prop.ForAll(TextGen.ToArbitrary(), Gen.Elements(Settings).ToArbitrary(), (text, options) =>
        {
            var featurizer = new TextFeaturizer(options);
            TextFeaturizer.Vector fast = new(), reference = new();
            featurizer.Featurize(text, fast);
            FeaturizerReference.Featurize(featurizer, text, reference);
            return fast.Count == reference.Count
                   && fast.IndexSpan.SequenceEqual(reference.IndexSpan)
                   && fast.ValueSpan.ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(reference.ValueSpan.ToArray().Select(BitConverter.SingleToInt32Bits))
                   && fast.SpeakerOnlyPositive == reference.SpeakerOnlyPositive;
        });

    /// <summary>A vector reused for a shorter text after a longer one keeps nothing of the longer one (the sort's scratch buffer is reused too).</summary>
    [Fact]
    public void A_reused_vector_equals_a_fresh_one()
    {
        var featurizer = new TextFeaturizer(FeatureOptions.Shipped);
        var reused = new TextFeaturizer.Vector();
        featurizer.Featurize(string.Join(' ', Enumerable.Repeat("women are wonderful, I don't hate them", 200)), reused);
        Assert.True(reused.Count > 0);
        featurizer.Featurize("kill them all tomorrow at the school, I say", reused);
        var fresh = new TextFeaturizer.Vector();
        FeaturizerReference.Featurize(featurizer, "kill them all tomorrow at the school, I say", fresh);
        Assert.Equal(fresh.IndexSpan.ToArray(), reused.IndexSpan.ToArray());
        Assert.Equal(fresh.ValueSpan.ToArray(), reused.ValueSpan.ToArray());
    }
}
