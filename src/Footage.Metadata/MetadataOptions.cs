using System.ComponentModel.DataAnnotations;

namespace Footage.Metadata;

/// <summary><c>Footage:Metadata</c>.</summary>
public sealed class MetadataOptions : IValidatableObject
{
    public const string Section = "Footage:Metadata";

    /// <summary>How long the footage of a closed incident stays under evidence hold after it was closed.</summary>
    public TimeSpan EvidenceHoldAfterClose { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EvidenceHoldAfterClose < TimeSpan.Zero)
        {
            yield return new ValidationResult("Footage:Metadata:EvidenceHoldAfterClose must not be negative.", [nameof(EvidenceHoldAfterClose)]);
        }
    }
}
