namespace Bulwark.Matching.Hashing;

/// <summary>
/// Finds black bars (letterbox and pillarbox) around a raw RGB frame. PDQ sees a letterboxed copy as a different image
/// (the reference's own hashes of the sample clips with and without bars are 0 % alike), so frames are hashed without them.
/// </summary>
internal static class VpdqBorders
{
    /// <summary>A channel value at or below this counts as black (encoders leave bars at 16 ± noise in limited range).</summary>
    public const byte BlackLevel = 40;

    /// <summary>The content rectangle; the whole frame when there are no bars, or when trimming would leave less than a quarter of a side.</summary>
    public static (int X, int Y, int Width, int Height) ContentRect(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var stride = width * 3;
        var top = 0;
        while (top < height && IsBlack(rgb.Slice(top * stride, stride))) top++;
        if (top == height) return (0, 0, width, height);
        var bottom = height - 1;
        while (bottom > top && IsBlack(rgb.Slice(bottom * stride, stride))) bottom--;
        var left = stride;
        var right = -1;
        for (var y = top; y <= bottom; y++)
        {
            var row = rgb.Slice(y * stride, stride);
            var first = row.IndexOfAnyExceptInRange((byte)0, BlackLevel);
            // A row that is dark from edge to edge (a dark scene, a black band inside the picture) says nothing about the
            // sides: counting it (first = -1) kept the whole left bar.
            if (first < 0) continue;
            var last = row.LastIndexOfAnyExceptInRange((byte)0, BlackLevel);
            if (first < left) left = first;
            if (last > right) right = last;
        }
        var x0 = left / 3;
        var x1 = right / 3;
        var w = x1 - x0 + 1;
        var h = bottom - top + 1;
        if (w * 4 < width || h * 4 < height) return (0, 0, width, height);
        return (x0, top, w, h);
    }

    /// <summary>Copies the rectangle into <paramref name="target"/> as tightly packed RGB.</summary>
    public static void Crop(ReadOnlySpan<byte> rgb, int width, (int X, int Y, int Width, int Height) r, Span<byte> target)
    {
        var stride = width * 3;
        var rowBytes = r.Width * 3;
        for (var y = 0; y < r.Height; y++)
            rgb.Slice((r.Y + y) * stride + r.X * 3, rowBytes).CopyTo(target.Slice(y * rowBytes, rowBytes));
    }

    private static bool IsBlack(ReadOnlySpan<byte> row) => row.IndexOfAnyExceptInRange((byte)0, BlackLevel) < 0;
}
