using System.Text;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// A tiny text classifier written as ONNX protobuf bytes by hand (no Python, no download): token embeddings averaged over
/// the attention mask, one linear layer, a sigmoid —
/// <c>probs = sigmoid(mean_t(E[input_ids_t] · mask_t) · W + b)</c> — plus its WordPiece vocabulary. Weights are simple
/// formulas of the indices so tests can compute the expected probabilities by hand (<see cref="Expected"/>).
/// </summary>
public static class TinyOnnxModel
{
    public static readonly string[] Vocab =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "will", "kill", "you", "hello", "friend", "##s", "school", "tomorrow", "the"];
    public const int Dim = 4;
    public const int Heads = 2;

    public static float Embedding(int token, int d) => ((token * 7 + d * 3) % 11 - 5) / 5f;
    public static float Weight(int d, int h) => (d + 1) * (h == 0 ? 0.5f : -0.25f);
    public static float Bias(int h) => h == 0 ? -0.1f : 0.2f;

    /// <summary>The probabilities the graph must produce for these token ids (all unmasked).</summary>
    public static double[] Expected(IReadOnlyList<int> ids)
    {
        var mean = new double[Dim];
        foreach (var id in ids)
            for (var d = 0; d < Dim; d++) mean[d] += Embedding(id, d) / (double)ids.Count;
        var p = new double[Heads];
        for (var h = 0; h < Heads; h++)
        {
            double z = Bias(h);
            for (var d = 0; d < Dim; d++) z += mean[d] * Weight(d, h);
            p[h] = 1 / (1 + Math.Exp(-z));
        }
        return p;
    }

    public static string VocabText => string.Join('\n', Vocab) + "\n";

    /// <summary>The ONNX model; <paramref name="inputIds"/>, <paramref name="mask"/> and <paramref name="output"/> name its tensors.</summary>
    public static byte[] Build(string inputIds = "input_ids", string mask = "attention_mask", string output = "probs")
    {
        var v = Vocab.Length;
        var emb = new float[v * Dim];
        for (var t = 0; t < v; t++) for (var d = 0; d < Dim; d++) emb[t * Dim + d] = Embedding(t, d);
        var w = new float[Dim * Heads];
        for (var d = 0; d < Dim; d++) for (var h = 0; h < Heads; h++) w[d * Heads + h] = Weight(d, h);
        var b = Enumerable.Range(0, Heads).Select(Bias).ToArray();

        var graph = new Proto();
        graph.Message(1, Node("Gather", ["embedding", inputIds], ["emb"]));
        graph.Message(1, Node("Cast", [mask], ["maskf"], new Proto().String(1, "to").Varint(20, 2).Varint(3, 1))); // to = FLOAT
        graph.Message(1, Node("Unsqueeze", ["maskf", "axis2"], ["mask3"]));
        graph.Message(1, Node("Mul", ["emb", "mask3"], ["masked"]));
        graph.Message(1, Node("ReduceSum", ["masked", "axis1"], ["summed"], new Proto().String(1, "keepdims").Varint(20, 2).Varint(3, 0)));
        graph.Message(1, Node("ReduceSum", ["maskf", "axis1"], ["count"], new Proto().String(1, "keepdims").Varint(20, 2).Varint(3, 1)));
        graph.Message(1, Node("Div", ["summed", "count"], ["mean"]));
        graph.Message(1, Node("MatMul", ["mean", "weights"], ["logits0"]));
        graph.Message(1, Node("Add", ["logits0", "bias"], ["logits"]));
        graph.Message(1, Node("Sigmoid", ["logits"], [output]));
        graph.String(2, "tiny-text-classifier");
        graph.Message(5, FloatTensor("embedding", [v, Dim], emb));
        graph.Message(5, FloatTensor("weights", [Dim, Heads], w));
        graph.Message(5, FloatTensor("bias", [Heads], b));
        graph.Message(5, Int64Tensor("axis1", [1]));
        graph.Message(5, Int64Tensor("axis2", [2]));
        graph.Message(11, ValueInfo(inputIds, 7, ["batch", "sequence"]));
        graph.Message(11, ValueInfo(mask, 7, ["batch", "sequence"]));
        graph.Message(12, ValueInfo(output, 1, ["batch", Heads]));

        var model = new Proto();
        model.Varint(1, 8); // ir_version
        model.String(2, "bulwark-tests");
        model.Message(7, graph);
        model.Message(8, new Proto().String(1, "").Varint(2, 13)); // opset 13
        return model.ToArray();
    }

    private static Proto Node(string op, string[] inputs, string[] outputs, Proto? attribute = null)
    {
        var n = new Proto();
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        n.String(3, op + "_" + outputs[0]);
        n.String(4, op);
        if (attribute is not null) n.Message(5, attribute);
        return n;
    }

    private static Proto FloatTensor(string name, long[] dims, float[] values)
    {
        var t = new Proto();
        foreach (var d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, 1); // FLOAT
        t.String(8, name);
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(i * 4), values[i]); // little-endian, as ONNX requires
        t.Bytes(9, raw);
        return t;
    }

    private static Proto Int64Tensor(string name, long[] values)
    {
        var t = new Proto();
        t.Varint(1, (ulong)values.Length);
        t.Varint(2, 7); // INT64
        t.String(8, name);
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(raw.AsSpan(i * 8), values[i]);
        t.Bytes(9, raw);
        return t;
    }

    private static Proto ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = new Proto();
        foreach (var d in dims)
            shape.Message(1, d is string param ? new Proto().String(2, param) : new Proto().Varint(1, (ulong)(int)d));
        var tensorType = new Proto().Varint(1, (ulong)elemType).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    /// <summary>
    /// A SentencePiece Unigram model (sentencepiece_model.proto) whose pieces, shifted by 2, are the WordPiece vocabulary's
    /// words: "▁i" is 3 here and "i" is 5 there. With <c>idOffset</c> 2 and [CLS]/[SEP]/[UNK] as bos/eos/unk it feeds the
    /// same graph the same ids as the WordPiece vocabulary does.
    /// </summary>
    public static byte[] SentencePieceModel()
    {
        var model = new Proto();
        model.Message(1, Piece("<unk>", 0, 2)).Message(1, Piece("<s>", 0, 3)).Message(1, Piece("</s>", 0, 3));
        foreach (var word in Vocab.Skip(5).Where(w => !w.StartsWith("##", StringComparison.Ordinal))) model.Message(1, Piece("\u2581" + word, -1, 1));
        model.Message(1, Piece("\u2581", -2, 1)).Message(1, Piece("s", -3, 1));
        model.Message(2, new Proto().Varint(3, 1).Varint(40, 0).Varint(41, 1).Varint(42, 2)); // Unigram; unk 0, bos 1, eos 2
        model.Message(3, new Proto().String(1, "identity").Varint(3, 1).Varint(4, 1).Varint(5, 1));
        return model.ToArray();

        static Proto Piece(string piece, float score, int type) => new Proto().String(1, piece).Float(2, score).Varint(3, (ulong)type);
    }

    /// <summary>Just enough of the protobuf wire format: varints (type 0), 32-bit floats (type 5) and length-delimited fields (type 2).</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, ulong value)
        {
            Raw(((ulong)field << 3) | 0);
            Raw(value);
            return this;
        }

        public Proto Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public Proto Float(int field, float value)
        {
            Raw(((ulong)field << 3) | 5);
            Span<byte> bytes = stackalloc byte[4];
            BitConverter.TryWriteBytes(bytes, value);
            _bytes.Write(bytes);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));
        public Proto Message(int field, Proto value) => Bytes(field, value.ToArray());
        public byte[] ToArray() => _bytes.ToArray();

        private void Raw(ulong v)
        {
            while (v >= 0x80)
            {
                _bytes.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _bytes.WriteByte((byte)v);
        }
    }
}
