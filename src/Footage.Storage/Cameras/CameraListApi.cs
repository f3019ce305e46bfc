using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Footage.Storage.Cameras;

/// <summary>
/// <c>GET /api/v1/cameras</c>: the cameras the caller may see, filtered and sorted. Without <c>offset</c> or <c>limit</c>
/// the answer is the array of every match, as before paging existed; with either, a page <c>{items, total, offset, limit}</c>.
/// </summary>
public static class CameraListApi
{
    public static async Task<Results<Ok<CamerasApi.CameraResponse[]>, Ok<CamerasApi.CameraPage>, ValidationProblem>> List(
        string? q, string? status, string? group, string? source, string? sort, string? offset, string? limit,
        HttpContext http, CameraRepository cameras, CameraAccess access, CameraGroupStore groups, CameraStates states, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (CameraListQuery.Parse(q, status, group, source, sort, offset, limit, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var scope = await access.ScopeAsync(http);
        var visible = (await cameras.ListAsync(redacted: true, ct)).Where(c => scope.Allows(c.Id) && (query.Source is null || c.Source == query.Source)).ToList();
        var memberOf = await groups.GroupsByCameraAsync(ct);
        var stateOf = await states.ReadAsync(visible, ct);
        IEnumerable<Core.Cameras.Camera> matches = visible;
        if (query.Group is { } groupId)
        {
            // another group than the caller's finds nothing, even a camera of theirs that is also in it
            matches = matches.Where(c => scope.AllowsGroup(groupId) && memberOf.TryGetValue(c.Id, out var ids) && ids.Contains(groupId));
        }

        if (query.States is { } wanted)
        {
            matches = matches.Where(c => wanted.Contains(stateOf[c.Id]));
        }

        if (query.Text is { } text)
        {
            matches = matches.Where(c => c.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (c.Source?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || c.Id.ToString().Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        Func<Core.Cameras.Camera, IComparable> key = query.Sort switch
        {
            "status" => c => stateOf[c.Id],
            "created_at" => c => c.CreatedAt,
            "updated_at" => c => c.UpdatedAt,
            _ => c => c.Name.ToUpperInvariant(),
        };
        var sorted = (query.Descending ? matches.OrderByDescending(key) : matches.OrderBy(key))
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id).ToList();
        var responses = sorted.Select(c => CamerasApi.CameraResponse.From(c, Visible(memberOf.GetValueOrDefault(c.Id), scope), stateOf[c.Id]));
        if (!query.IsPaged)
        {
            return TypedResults.Ok(responses.ToArray());
        }

        var size = query.Limit ?? 100;
        return TypedResults.Ok(new CamerasApi.CameraPage(responses.Skip(query.Offset).Take(size).ToArray(), sorted.Count, query.Offset, size));
    }

    /// <summary>The groups of a camera that the caller may see: a camera of theirs may also be in groups they are not given.</summary>
    internal static IReadOnlyList<Guid>? Visible(IReadOnlyList<Guid>? groupIds, CameraScope scope) =>
        groupIds is null || scope.IsEverything ? groupIds : groupIds.Where(scope.AllowsGroup).ToArray();
}
