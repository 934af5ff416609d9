using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Pages;

/// <summary>
/// Forms that post without JavaScript, in the NHS design system's markup: reading a post (anti-forgery checked),
/// the error summary and fields with their errors, and the banner that confirms what was done.
/// </summary>
internal static class PostedForms
{
    /// <summary>The posted form, or null when its anti-forgery token is missing or wrong.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return null;
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }
        return await context.Request.ReadFormAsync();
    }

    public static IResult Expired(HttpContext context, PageShell shell) =>
        shell.Render(context, null, PageEndpoints.Problem(400, "This form has expired", "Go back, reload the page and try again."));

    public static string ErrorSummary(string field, string message) =>
        "<div class=\"nhsuk-error-summary\" aria-labelledby=\"error-summary-title\" role=\"alert\" tabindex=\"-1\"><h2 class=\"nhsuk-error-summary__heading\" id=\"error-summary-title\">There is a problem</h2>" +
        $"<div class=\"nhsuk-error-summary__body\"><ul class=\"nhsuk-list nhsuk-error-summary__list\"><li><a href=\"#{Encode(field)}\">{Encode(message)}</a></li></ul></div></div>";

    /// <summary>What was just done, where the person's attention goes next (focus is moved to it by the page's script).</summary>
    public static string Confirmation(string heading, string text) =>
        "<div class=\"nhsuk-notification-banner nhsuk-notification-banner--success\" role=\"alert\" tabindex=\"-1\" aria-labelledby=\"confirmation-title\" data-module=\"nhsuk-notification-banner\" data-confirmation>" +
        "<div class=\"nhsuk-notification-banner__header\"><h2 class=\"nhsuk-notification-banner__title\" id=\"confirmation-title\">Success</h2></div>" +
        $"<div class=\"nhsuk-notification-banner__content\"><p class=\"nhsuk-notification-banner__heading\">{Encode(heading)}</p><p class=\"nhsuk-body\">{Encode(text)}</p></div></div>";

    /// <param name="error">Shown against the field; "" marks the field as in error without a message of its own.</param>
    /// <param name="name">The posted name, when it is not the id (several forms on one page).</param>
    public static string Input(string id, string label, string type, string autocomplete, string? value, string? error, string? name = null)
    {
        var html = new StringBuilder(Group(error)).Append($"<label class=\"nhsuk-label\" for=\"{id}\">{Encode(label)}</label>").Append(ErrorMessage(id, error));
        html.Append($"<input class=\"nhsuk-input{(error is null ? "" : " nhsuk-input--error")}\" id=\"{id}\" name=\"{name ?? id}\" type=\"{type}\" autocomplete=\"{autocomplete}\" spellcheck=\"false\"");
        if (!string.IsNullOrEmpty(error)) html.Append($" aria-describedby=\"{id}-error\"");
        if (value is not null) html.Append($" value=\"{Encode(value)}\"");
        return html.Append("></div>").ToString();
    }

    public static string TextArea(string id, string label, string hint, string? value, string? error, int rows = 4, string? name = null)
    {
        var describedBy = string.IsNullOrEmpty(error) ? $"{id}-hint" : $"{id}-hint {id}-error";
        return new StringBuilder(Group(error)).Append($"<label class=\"nhsuk-label\" for=\"{id}\">{Encode(label)}</label>")
            .Append($"<div class=\"nhsuk-hint\" id=\"{id}-hint\">{Encode(hint)}</div>").Append(ErrorMessage(id, error))
            .Append($"<textarea class=\"nhsuk-textarea{(error is null ? "" : " nhsuk-textarea--error")}\" id=\"{id}\" name=\"{name ?? id}\" rows=\"{rows}\" aria-describedby=\"{describedBy}\">")
            .Append(Encode(value)).Append("</textarea></div>").ToString();
    }

    /// <summary>Radios in a fieldset; the first option's id is the field's, so the error summary's link lands on it.</summary>
    /// <param name="id">The first option's id, when it is not the name (several forms on one page).</param>
    public static string Radios(string name, string legend, IReadOnlyList<(string Value, string Text)> options, string? chosen, string? error, string? id = null)
    {
        var idBase = id ?? name;
        var html = new StringBuilder(Group(error)).Append("<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">")
            .Append(Encode(legend)).Append("</legend>").Append(ErrorMessage(idBase, error)).Append("<div class=\"nhsuk-radios\">");
        foreach (var (option, i) in options.Select((o, i) => (o, i)))
        {
            var optionId = i == 0 ? idBase : $"{idBase}-{i + 1}";
            html.Append($"<div class=\"nhsuk-radios__item\"><input class=\"nhsuk-radios__input\" id=\"{optionId}\" name=\"{name}\" type=\"radio\" value=\"{Encode(option.Value)}\"")
                .Append(option.Value == chosen ? " checked" : "").Append($"><label class=\"nhsuk-label nhsuk-radios__label\" for=\"{optionId}\">{Encode(option.Text)}</label></div>");
        }
        return html.Append("</div></fieldset></div>").ToString();
    }

    /// <summary>Checkboxes in a fieldset, any number ticked; the first box's id is the field's, so the error summary's link lands on it.</summary>
    public static string Checkboxes(string name, string legend, string hint, IReadOnlyList<(string Value, string Text)> options, IReadOnlyCollection<string> ticked, string? error)
    {
        var describedBy = string.IsNullOrEmpty(error) ? $"{name}-hint" : $"{name}-hint {name}-error";
        var html = new StringBuilder(Group(error)).Append($"<fieldset class=\"nhsuk-fieldset\" aria-describedby=\"{describedBy}\"><legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">")
            .Append(Encode(legend)).Append($"</legend><div class=\"nhsuk-hint\" id=\"{name}-hint\">{Encode(hint)}</div>").Append(ErrorMessage(name, error)).Append("<div class=\"nhsuk-checkboxes\">");
        foreach (var (option, i) in options.Select((o, i) => (o, i)))
        {
            var optionId = i == 0 ? name : $"{name}-{i + 1}";
            html.Append($"<div class=\"nhsuk-checkboxes__item\"><input class=\"nhsuk-checkboxes__input\" id=\"{optionId}\" name=\"{name}\" type=\"checkbox\" value=\"{Encode(option.Value)}\"")
                .Append(ticked.Contains(option.Value) ? " checked" : "").Append($"><label class=\"nhsuk-label nhsuk-checkboxes__label\" for=\"{optionId}\">{Encode(option.Text)}</label></div>");
        }
        return html.Append("</div></fieldset></div>").ToString();
    }

    /// <summary>A select whose first option is "Choose…" (posted as empty: not chosen).</summary>
    public static string Select(string id, string label, IReadOnlyList<(string Value, string Text)> options, string? chosen, string? error, string? name = null, string? hint = null)
    {
        var describedBy = string.Join(' ', new[] { hint is null ? null : $"{id}-hint", string.IsNullOrEmpty(error) ? null : $"{id}-error" }.OfType<string>());
        var html = new StringBuilder(Group(error)).Append($"<label class=\"nhsuk-label\" for=\"{id}\">{Encode(label)}</label>");
        if (hint is not null) html.Append($"<div class=\"nhsuk-hint\" id=\"{id}-hint\">{Encode(hint)}</div>");
        html.Append(ErrorMessage(id, error)).Append($"<select class=\"nhsuk-select{(error is null ? "" : " nhsuk-select--error")}\" id=\"{id}\" name=\"{name ?? id}\"")
            .Append(describedBy.Length > 0 ? $" aria-describedby=\"{describedBy}\">" : ">").Append("<option value=\"\">Choose…</option>");
        foreach (var (value, text) in options)
            html.Append($"<option value=\"{Encode(value)}\"").Append(value == chosen ? " selected" : "").Append($">{Encode(text)}</option>");
        return html.Append("</select></div>").ToString();
    }

    private static string Group(string? error) => $"<div class=\"nhsuk-form-group{(error is null ? "" : " nhsuk-form-group--error")}\">";

    private static string ErrorMessage(string id, string? error) => string.IsNullOrEmpty(error)
        ? ""
        : $"<span class=\"nhsuk-error-message\" id=\"{id}-error\"><span class=\"nhsuk-u-visually-hidden\">Error: </span>{Encode(error)}</span>";
}
