using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Tests.Classifiers;

public class NearDuplicateIndexTests
{
    [Fact]
    public void A_frame_with_one_word_changed_is_near_and_a_different_sentence_is_not()
    {
        var index = new NearDuplicateIndex(["The weather in the north will be cold and wet all week."]);
        Assert.Equal(1.0, index.Similarity("the weather in the north will be cold and wet all week"), 6);
        Assert.True(index.Similarity("The weather in the south will be cold and wet all week.") >= TrainingDataBuilder.NearDuplicateJaccard);
        Assert.True(index.Similarity("I love the smell of fresh bread in the morning.") < 0.2);
        Assert.Equal(0, new NearDuplicateIndex([]).Similarity("anything"));
    }
}
