using Bulwark.Matching.Hashing;

namespace Bulwark.Matching.Tests.Hashing;

/// <summary>Agreement with the reference implementations' published outputs (shared test data, skipped when absent).</summary>
public class PdqConformanceTests(ITestOutputHelper output)
{
    private static string Pdq(params string[] parts) => TestData.Path(["pdq", .. parts]);

    private static IEnumerable<string[]> Rows(string csv) =>
        File.ReadLines(Pdq(csv)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    private static PdqResult HashOrFail(string path, PdqImageOptions? options = null)
    {
        var r = PdqImageHasher.HashFile(path, options);
        Assert.True(r.IsSuccess, $"{path}: {r.Error}");
        return r.Value;
    }

    [Fact]
    public void Java_reference_exact_hashes_at_full_resolution()
    {
        foreach (var row in Rows("expected_pdq_hashes_java_reference.csv").Where(r => !r[0].StartsWith("distance", StringComparison.Ordinal)))
        {
            var actual = HashOrFail(Pdq("threatexchange", "pdq", "data", row[0])).Hash;
            Assert.Equal(row[1], actual.ToString());
        }
    }

    [Fact]
    public void Java_reference_distances()
    {
        var data = Pdq("threatexchange", "pdq", "data", "reg-test-input");
        var original = HashOrFail(Path.Combine(data, "dih", "bridge-1-original.jpg")).Hash;
        Assert.Equal(120, original.HammingDistance(HashOrFail(Path.Combine(data, "dih", "bridge-2-rotate-90.jpg")).Hash));
        Assert.Equal(138, original.HammingDistance(HashOrFail(Path.Combine(data, "pen-and-coaster.png")).Hash));
    }

    [Fact]
    public void Cpp_tool_hashes_within_10_with_512_resize_for_quality_at_least_80()
    {
        var options = new PdqImageOptions { Resize = PdqResize.To512, ApplyExifOrientation = false };
        var checkedCount = 0;
        foreach (var row in Rows("expected_pdq_cpp_reference_512resize.csv"))
        {
            // I16.png is a 16-bit greyscale PNG; the C++ tool loads it through CImg<uint8_t>, which does not scale 16-bit
            // samples to 8 bits the way every other decoder does, so its hash is of different pixels (distance ~130).
            if (row[0].EndsWith("I16.png", StringComparison.Ordinal)) continue;
            var expected = PdqHash.Parse(row[1]);
            var actual = HashOrFail(Pdq("threatexchange", row[0]), options);
            var distance = expected.HammingDistance(actual.Hash);
            output.WriteLine($"{row[0]} q={row[2]}/{actual.Quality} d={distance}");
            if (int.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture) < 80) continue;
            Assert.True(distance <= 10, $"{row[0]}: distance {distance} to the C++ tool's hash");
            checkedCount++;
        }
        Assert.True(checkedCount >= 40, $"only {checkedCount} images checked");
    }

    [Fact]
    public void Wasm_hashes_within_10_with_512_resize()
    {
        var options = new PdqImageOptions { Resize = PdqResize.To512, ApplyExifOrientation = false };
        foreach (var row in Rows("expected_pdq_hashes_wasm_reference.csv"))
        {
            if (!row[0].EndsWith(".jpg", StringComparison.Ordinal) && !row[0].EndsWith(".png", StringComparison.Ordinal)) continue; // video rows
            var path = Pdq("threatexchange", "pdq", "data", row[0].Replace("../../../../data/", "", StringComparison.Ordinal));
            var actual = HashOrFail(path, options);
            var distance = PdqHash.Parse(row[1]).HammingDistance(actual.Hash);
            output.WriteLine($"{row[0]} q={actual.Quality} d={distance}");
            if (actual.Quality >= 80) Assert.True(distance <= 10, $"{row[0]}: distance {distance}");
        }
    }

    [Fact]
    public void Python_hashes_within_their_tolerance_at_full_resolution()
    {
        foreach (var row in Rows("expected_pdq_hashes_python_reference.csv"))
        {
            var actual = HashOrFail(Pdq("threatexchange", "pdq", "data", row[0]));
            var distance = PdqHash.Parse(row[1]).HammingDistance(actual.Hash);
            output.WriteLine($"{row[0]} q={actual.Quality} d={distance}");
            Assert.True(distance <= int.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), $"{row[0]}: distance {distance}");
        }
    }

    [Theory]
    [InlineData("bridge-2-rotate-90.jpg", PdqDihedral.Rotate90)]
    [InlineData("bridge-3-rotate-180.jpg", PdqDihedral.Rotate180)]
    [InlineData("bridge-4-rotate-270.jpg", PdqDihedral.Rotate270)]
    [InlineData("bridge-5-flipx.jpg", PdqDihedral.FlipX)]
    [InlineData("bridge-6-flipy.jpg", PdqDihedral.FlipY)]
    [InlineData("bridge-7-flip-plus-1.jpg", PdqDihedral.FlipPlus1)]
    [InlineData("bridge-8-flip-minus-1.jpg", PdqDihedral.FlipMinus1)]
    public void Dihedral_variants_of_the_original_match_the_transformed_images(string file, PdqDihedral variant)
    {
        var dih = Pdq("threatexchange", "pdq", "data", "reg-test-input", "dih");
        var variants = PdqImageHasher.HashDihedralFile(Path.Combine(dih, "bridge-1-original.jpg"));
        Assert.True(variants.IsSuccess);
        var transformed = HashOrFail(Path.Combine(dih, file)).Hash;
        var distance = variants.Value![variant].HammingDistance(transformed);
        output.WriteLine($"{file}: {distance}");
        Assert.True(distance <= 10, $"{file}: distance {distance}");
        Assert.Equal(HashOrFail(Path.Combine(dih, "bridge-1-original.jpg")).Hash, variants.Value[PdqDihedral.Original]);
    }

    [Theory]
    [InlineData(3, PdqDihedral.Rotate180)]
    [InlineData(6, PdqDihedral.Rotate270)] // EXIF 6 displays the stored pixels turned 90° clockwise; PDQ's Rotate90 is anticlockwise.
    [InlineData(8, PdqDihedral.Rotate90)]
    public void Exif_orientation_turns_the_pixels_as_displayed(int exif, PdqDihedral expected)
    {
        // The four exif-rotn photos are different shots, so compare each with its own stored pixels.
        var path = Pdq("threatexchange", "pdq", "data", "reg-test-input", "exif-rotn", $"exif-rotn-{exif}.jpg");
        var stored = PdqImageHasher.HashDihedralFile(path, new PdqImageOptions { ApplyExifOrientation = false }).Value!;
        var displayed = HashOrFail(path).Hash;
        var distance = stored[expected].HammingDistance(displayed);
        output.WriteLine($"exif-rotn-{exif}: {distance}");
        Assert.True(distance <= 10, $"distance {distance}");
    }
}
