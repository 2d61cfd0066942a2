using Bulwark.Core.Signals.Ocr;

namespace Bulwark.Tests.Ocr;

/// <summary>The parts of OCR that need no tesseract: reading its TSV, grouping video frames, reading ffmpeg's PGM stream.</summary>
public class OcrParsingTests
{
    private const string Header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    [Fact]
    public void Tsv_words_are_joined_by_line_and_low_confidence_words_dropped()
    {
        var tsv = Header
            + "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
            + "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\tCi\n"
            + "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t91.5\tvediamo\n"
            + "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t12.0\t~%\n"
            + "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t90\tdomani\n"
            + "5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t80\t \n";
        var text = TesseractOcr.ParseTsv(tsv, minConfidence: 40);
        Assert.Equal("Ci vediamo\ndomani", text.Text);
        Assert.Equal(3, text.Words);
        Assert.Equal(92.7, text.Confidence);
        Assert.True(TesseractOcr.ParseTsv(Header, 40).IsEmpty);
    }

    [Fact]
    public void Consecutive_frames_with_the_same_text_up_to_OCR_noise_form_one_group()
    {
        var groups = new List<OcrFrameText>();
        OcrVideo.Add(groups, 0, new OcrText("Meet me at the station now", 80, 6), 2);
        OcrVideo.Add(groups, 2, new OcrText("meet me at the statlon now", 90, 6), 2); // one word misread: same caption
        OcrVideo.Add(groups, 4, OcrText.Empty, 2);
        OcrVideo.Add(groups, 6, new OcrText("Burn it down", 70, 3), 2);
        OcrVideo.Add(groups, 10, new OcrText("Burn it down", 70, 3), 2); // a gap of two intervals: a new appearance
        Assert.Equal(3, groups.Count);
        Assert.Equal((0.0, 2.0, 2), (groups[0].StartSeconds, groups[0].EndSeconds, groups[0].Frames));
        Assert.Equal("meet me at the statlon now", groups[0].Text.Text); // the more confident reading is kept
        Assert.Equal((6.0, 10.0), (groups[1].StartSeconds, groups[2].StartSeconds));
    }

    [Fact]
    public async Task Pgm_frames_are_read_one_after_another_and_bad_headers_are_named()
    {
        var bytes = new MemoryStream();
        bytes.Write("P5\n2 2\n255\n"u8);
        bytes.Write([1, 2, 3, 4]);
        bytes.Write("P5 # a comment\n3 1 255\n"u8);
        bytes.Write([9, 8, 7]);
        bytes.Position = 0;
        var reader = new PgmStreamReader(bytes, 100);
        var a = await reader.ReadAsync(default);
        var b = await reader.ReadAsync(default);
        Assert.Equal((2, 2), (a!.Width, a.Height));
        Assert.Equal([1, 2, 3, 4], a.Pixels);
        Assert.Equal((3, 1), (b!.Width, b.Height));
        Assert.Equal([9, 8, 7], b.Pixels);
        Assert.Null(await reader.ReadAsync(default));

        var bad = new PgmStreamReader(new MemoryStream("P6\n2 2\n255\n"u8.ToArray()), 100);
        Assert.Contains("expected a P5 header", (await Assert.ThrowsAsync<InvalidDataException>(() => bad.ReadAsync(default))).Message);
        var huge = new PgmStreamReader(new MemoryStream("P5\n20 20\n255\n"u8.ToArray()), 100);
        Assert.Contains("larger than 100 pixels", (await Assert.ThrowsAsync<InvalidDataException>(() => huge.ReadAsync(default))).Message);
    }
}
