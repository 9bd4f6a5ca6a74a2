// The MIME message of a post: the plain text and the HTML part, addressed as the options say.

import Foundation
public import HeraldCore
import HeraldTemplates

extension EmailOptions {
    /// Options from command-line text, each address checked; errors name the flag.
    public static func parsing(
        text: PlainTextOptions, from: String?, to: [String], replyTo: String?, listUnsubscribe: String?,
        fromFlag: String = "--from", toFlag: String = "--to"
    ) throws(DiagnosticError) -> EmailOptions {
        var options = EmailOptions(text: text)
        if let from { options.from = try MailAddress(parsing: from, field: fromFlag) }
        for list in to { options.to += try MailAddress.list(parsing: list, field: toFlag) }
        if let replyTo { options.replyTo = try MailAddress(parsing: replyTo, field: "--reply-to") }
        if let listUnsubscribe {
            let lowered = listUnsubscribe.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") || lowered.hasPrefix("mailto:"),
                !listUnsubscribe.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == ">" || $0 == "<" })
            else {
                throw DiagnosticError(.error(
                    "invalid-address", "invalid address in --list-unsubscribe: '\(listUnsubscribe)' (expected an https: or mailto: URL)"))
            }
            options.listUnsubscribe = listUnsubscribe
        }
        return options
    }
}

extension EmailBackend {
    /// The ready-to-send message of a post; `text` is its plain text if already rendered.
    public func message(_ post: Post, context: BuildContext, text: String? = nil) throws -> MailMessage {
        try message(post, document: absoluteDocument(post, context: context), context: context, text: text)
    }

    /// ``message(_:context:text:)`` of the post's document with absolute addresses, made already
    /// (and the templates' values, when they are).
    func message(_ post: Post, document: Document, context: BuildContext, text: String?, values: [String: TemplateValue]? = nil) throws -> MailMessage {
        let to = options.recipients(lang: post.lang, context: context)
        guard let from = options.from, !to.isEmpty else {
            throw DiagnosticError(.error("email-address-missing", file: post.sourcePath, "a message needs --from and --to"))
        }
        var message = MailMessage(
            from: from, to: to, replyTo: options.replyTo, subject: post.displayTitle,
            date: post.metadata.date, listUnsubscribe: options.listUnsubscribe,
            textBody: try text ?? plainText(post, document: document, context: context), htmlBody: try html(post, document: document, context: context, values: values),
            flowed: options.text.flowed)
        message.listID = Self.listID(to: to, name: context.title(lang: post.lang))
        return message
    }

    /// The `List-Id` of mail to one list address: the address with its `@` as a dot
    /// (`users@lists.example.org` is `users.lists.example.org`, RFC 2919), named after the
    /// site; none for mail to several addresses.
    static func listID(to recipients: [MailAddress], name: String) -> (name: String?, id: String)? {
        guard recipients.count == 1 else { return nil }
        let id = String(recipients[0].address.map { $0 == "@" ? "." : $0 }).lowercased()
        guard id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0)) }) else { return nil }
        return (name, id)
    }
}
