namespace Bms.Contracts;

/// <summary>The answer to <c>POST /api/routing/webhooks</c>: the hook and its signing secret (shown this once).</summary>
/// <param name="Webhook">The new hook.</param>
/// <param name="Secret">The secret that signs every delivery.</param>
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);
