namespace Footage.ServiceDefaults.Validation;

/// <summary>Route ids are bound as text and parsed here, so that "abc" is a 400 naming the field, not a 404.</summary>
public static class RouteValues
{
    public static Guid? Id(string? text, string name, ValidationErrors errors)
    {
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        errors.Add(name, "must be a UUID");
        return null;
    }
}
