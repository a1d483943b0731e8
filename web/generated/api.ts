// Generated from the API's OpenAPI document by `npm run gen:api` (src/api/web-types.ts). Do not edit.
export interface paths {
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** sign in (browser session) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            csrf: string;
                        };
                    };
                };
            };
        };
        /** sign out */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** who you are, your organisations and your default one */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            organisations: {
                                org: string;
                                role: string;
                            }[];
                            /** @description where a request that names no organisation acts */
                            default_org: string | null;
                            server_admin: boolean;
                            csrf?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/default-org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** where your requests act when they name no organisation (one you are a member of) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        org: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            organisations: {
                                org: string;
                                role: string;
                            }[];
                            /** @description where a request that names no organisation acts */
                            default_org: string | null;
                            server_admin: boolean;
                            csrf?: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/entities/{entity}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** look up a domain, IP or certificate: fields, related entities, tags and classification (evaluates signatures; fetches live data per ?live=) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description live look-ups for this view (default: WARREN_LIVE) */
                    live?: "off" | "missing" | "always";
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            kind: "domain" | "ip" | "certificate";
                            id: string;
                            fields: {
                                [key: string]: string[];
                            };
                            tags: {
                                name: string;
                                /** @enum {string} */
                                source: "signature" | "manual";
                                signature?: string;
                                field?: string;
                                value?: string;
                                signature_version?: number;
                                pattern?: number;
                                /** @description why it matched, in words (look-alike hits: family and distance) */
                                why?: string;
                                first_matched?: string;
                                last_matched?: string;
                                /** @description a pack signature’s tag (docs/PACKS.md): the pack (PUBLISHER/NAME) and the pack version that made it */
                                pack?: {
                                    name: string;
                                    version: number;
                                };
                            }[];
                            classification: {
                                value?: string;
                                source?: string;
                                signature?: string;
                            } | null;
                            related: {
                                ips?: string[];
                                domains?: string[];
                                certificates?: string[];
                            };
                            relations?: {
                                [key: string]: unknown;
                            }[];
                            /** @description certificates only: false when Warren holds the fields its source gave but not the DER */
                            der?: boolean;
                            /** @description false: Warren holds nothing about it beyond its name ("nothing known"; no signature was evaluated) */
                            known: boolean;
                            /** @description what each live source did for this view (live.md); empty when live look-ups are off */
                            live: {
                                /** @enum {string} */
                                source: "rdap" | "whois" | "dns" | "tls" | "rdap-ip";
                                /** @enum {string} */
                                status: "ok" | "refused" | "failed" | "cached";
                                at: string;
                                detail?: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lookup/{entity}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** look up a domain, IP or certificate: fields, related entities, tags and classification (evaluates signatures; fetches live data per ?live=) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description live look-ups for this view (default: WARREN_LIVE) */
                    live?: "off" | "missing" | "always";
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            kind: "domain" | "ip" | "certificate";
                            id: string;
                            fields: {
                                [key: string]: string[];
                            };
                            tags: {
                                name: string;
                                /** @enum {string} */
                                source: "signature" | "manual";
                                signature?: string;
                                field?: string;
                                value?: string;
                                signature_version?: number;
                                pattern?: number;
                                /** @description why it matched, in words (look-alike hits: family and distance) */
                                why?: string;
                                first_matched?: string;
                                last_matched?: string;
                                /** @description a pack signature’s tag (docs/PACKS.md): the pack (PUBLISHER/NAME) and the pack version that made it */
                                pack?: {
                                    name: string;
                                    version: number;
                                };
                            }[];
                            classification: {
                                value?: string;
                                source?: string;
                                signature?: string;
                            } | null;
                            related: {
                                ips?: string[];
                                domains?: string[];
                                certificates?: string[];
                            };
                            relations?: {
                                [key: string]: unknown;
                            }[];
                            /** @description certificates only: false when Warren holds the fields its source gave but not the DER */
                            der?: boolean;
                            /** @description false: Warren holds nothing about it beyond its name ("nothing known"; no signature was evaluated) */
                            known: boolean;
                            /** @description what each live source did for this view (live.md); empty when live look-ups are off */
                            live: {
                                /** @enum {string} */
                                source: "rdap" | "whois" | "dns" | "tls" | "rdap-ip";
                                /** @enum {string} */
                                status: "ok" | "refused" | "failed" | "cached";
                                at: string;
                                detail?: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/entities/{entity}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** tag an entity by hand */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        tag: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/entities/{entity}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** remove a tag added by hand */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                    tag: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/entities/{entity}/classification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** classify an entity by hand (wins over every signature) */
        put: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        classification: "malicious" | "suspicious" | "non-malicious" | "unknown";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/whois/{domain}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a domain's newest WHOIS record (fields and raw text) and the observation times of every version */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    domain: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domain: string;
                            /** @description when the newest version was observed (from the data) */
                            observed: string | null;
                            source: string;
                            /** @description whois.* fields of the newest version (whois.raw is `raw`) */
                            fields: {
                                [key: string]: string[];
                            };
                            raw: string | null;
                            /** @description every stored version, newest first */
                            versions: {
                                observed: string | null;
                                source: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/certificates/{hash}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a stored certificate: its x509 fields, SHA-1, SHA-256, and PEM (or base64 DER) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    encoding?: "pem" | "der";
                };
                header?: never;
                path: {
                    /** @description SHA-1 or SHA-256, hex (colons allowed) */
                    hash: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sha256: string;
                            /** @description null for a certificate stored without DER whose source gave no SHA-1 */
                            sha1: string | null;
                            fields: {
                                [key: string]: string[];
                            };
                            /** @description with encoding=pem (the default) */
                            pem?: string;
                            /** @description base64 DER, with encoding=der; false (and no pem) for a certificate stored without its DER (fields only) */
                            der?: string | boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/entities/{entity}/relations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an entity's relations with first / last seen, source and count, page by page */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path: {
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string} */
                                kind: "resolves-to" | "resolved-from" | "served-on" | "serves" | "names" | "named-by";
                                /** @description the related IP, domain or certificate SHA-256 (or a record value: TXT text, a wildcard name) */
                                id: string;
                                /**
                                 * @description the kind of entity `id` is, or null when it is not an entity (a TXT value, a wildcard name)
                                 * @enum {string|null}
                                 */
                                to: "domain" | "ip" | "certificate" | null;
                                rrtype?: string;
                                port?: number;
                                source: string;
                                first_seen: string | null;
                                last_seen: string | null;
                                /** @description times seen, where the data counts (passive DNS) */
                                count?: number;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/graph/{entity}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an entity's neighbourhood as a graph: domains, IPs, certificates and registrant emails, with the organisation's tags */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description hops from the entity */
                    depth?: number;
                    /** @description nodes at most (the entity included) */
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description domain, IP, certificate SHA-1 / SHA-256, or a registrant email address */
                    entity: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the named entity first, then its neighbours in the order they were met */
                            nodes: {
                                /** @description domain, IP, certificate SHA-256, or email address (lower case) */
                                id: string;
                                /** @enum {string} */
                                kind: "domain" | "ip" | "certificate" | "email";
                                /** @description what to show: the id; a certificate's subject CN (else its first SAN) */
                                label: string;
                                /** @description the organisation's tag names on the entity */
                                tags: string[];
                            }[];
                            /** @description domain → IP or domain (resolves-to), certificate → IP (served-on), certificate → domain (names), domain → email (registrant) */
                            edges: {
                                from: string;
                                to: string;
                                /** @enum {string} */
                                kind: "resolves-to" | "served-on" | "names" | "registrant";
                            }[];
                            /** @description true when neighbours were left out (the limit was reached, or a node has more relations than are read) */
                            capped: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * stored entities by any catalogue field: exact, prefix, or RE2 regex (case-insensitive unless case_sensitive)
         * @description Reads at most 20,000 rows per request (1,000 for network and as.*). A page stopped by that cap may hold fewer than `limit` items, even none, with a `next` to continue; `next` is null only at the end.
         */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description a catalogue field (fields.md); default: the kind’s own (domain, ip, x509.sha256) */
                    field?: string;
                    value: string;
                    mode?: "exact" | "prefix" | "regex";
                    kind?: "domain" | "ip" | "certificate";
                    case_sensitive?: boolean;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string} */
                                kind: "domain" | "ip" | "certificate";
                                /** @description domain, IP, or certificate SHA-256 */
                                id: string;
                                field: string;
                                /** @description the first value of the field that matched (clipped to 1000 characters) */
                                value: string;
                            }[];
                            next: string | null;
                            /** @description rows read by this request */
                            scanned: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pivot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * every entity with this value (a catalogue field, exact and case-insensitive), or on one of the organisation’s lists (tag, classification, signature)
         * @description A catalogue field's page and its count each read at most 100,000 rows (5,000 for network, as.* and network.*); a page cut by that cap may hold fewer than `limit` items with a `next`, and a total cut by it has `total_complete: false`. `field=tag`: entities carrying the tag; `field=classification`: entities whose effective classification (a person’s, else the most severe a signature gave) is the value; `field=signature`: entities the signature currently tags or classifies, or raised a notification on. With `format=csv` (a header line `kind,id,value`) or `format=json`, the whole list is exported instead of a page, at most 10,000 entities: the JSON says `truncated` (`limit`, `scan` or null) and the header `warren-export-limit` gives the cap. `format=stix`: the same entities as a STIX 2.1 bundle (observables, indicators with labels from tags and confidence from the classification, relationships for resolutions and served certificates; docs/SHARING.md); `format=misp`: as one MISP event (core format). Both say `warren-export-truncated` (`limit`, `scan` or `none`).
         */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description a catalogue field (fields.md), or one of tag, classification, signature */
                    field: string;
                    value: string;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                    /** @description export the whole list instead of a page: csv and json streamed, stix a STIX 2.1 bundle, misp a MISP event */
                    format?: "csv" | "json" | "stix" | "misp";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            field: string;
                            value: string;
                            /**
                             * @description the kind of every item; null for the lists, which mix kinds
                             * @enum {string|null}
                             */
                            kind: "domain" | "ip" | "certificate" | null;
                            items: {
                                /** @enum {string} */
                                kind: "domain" | "ip" | "certificate";
                                /** @description domain, IP, or certificate SHA-256 */
                                id: string;
                                /** @description catalogue fields: the value as the entity holds it (clipped to 1000 characters) */
                                value?: string;
                            }[];
                            next: string | null;
                            /** @description entities in the whole list */
                            total: number;
                            /** @description false: counting stopped at its cap and `total` is a lower bound */
                            total_complete: boolean;
                            /** @description rows read for this answer */
                            scanned: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pivot/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * how many entities have each value: of an entity’s pivot fields (entity=), or of one field (field= and value=, repeated)
         * @description A catalogue field's page and its count each read at most 100,000 rows (5,000 for network, as.* and network.*), once per group of fields (a domain’s WHOIS values are counted in one pass). `entity=`: every value of the entity’s pivot fields (WHOIS, certificate subject, issuer, serial and SANs, AS, network and its registration), read from the store without evaluating anything. `field=` with `value=` repeated (at most 100; a value may hold commas): those values.
         */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP, or certificate SHA-1 / SHA-256 */
                    entity?: string;
                    /** @description a field whose values the entity page links to their pivot */
                    field?: "network" | "as.number" | "as.name" | "network.name" | "network.handle" | "network.range" | "network.country" | "network.organization" | "network.abuse_email" | "network.registry" | "network.created" | "whois.registrar" | "whois.whois_server" | "whois.name_servers" | "whois.status" | "whois.created" | "whois.updated" | "whois.expires" | "whois.registrant.name" | "whois.registrant.organization" | "whois.registrant.email" | "whois.registrant.phone" | "whois.registrant.street" | "whois.registrant.city" | "whois.registrant.state" | "whois.registrant.postal_code" | "whois.registrant.country" | "whois.admin.name" | "whois.admin.organization" | "whois.admin.email" | "whois.admin.phone" | "whois.admin.street" | "whois.admin.city" | "whois.admin.state" | "whois.admin.postal_code" | "whois.admin.country" | "whois.tech.name" | "whois.tech.organization" | "whois.tech.email" | "whois.tech.phone" | "whois.tech.street" | "whois.tech.city" | "whois.tech.state" | "whois.tech.postal_code" | "whois.tech.country" | "whois.billing.name" | "whois.billing.organization" | "whois.billing.email" | "whois.billing.phone" | "whois.billing.street" | "whois.billing.city" | "whois.billing.state" | "whois.billing.postal_code" | "whois.billing.country" | "whois.email" | "whois.name" | "whois.organization" | "whois.phone" | "whois.address" | "x509.subject.common_name" | "x509.subject.organization" | "x509.subject.organizational_unit" | "x509.subject.country" | "x509.subject.state_or_province" | "x509.subject.locality" | "x509.subject.email_address" | "x509.subject.distinguished_name" | "x509.issuer.common_name" | "x509.issuer.organization" | "x509.issuer.organizational_unit" | "x509.issuer.country" | "x509.issuer.state_or_province" | "x509.issuer.locality" | "x509.issuer.email_address" | "x509.issuer.distinguished_name" | "x509.serial_number" | "x509.alternative_names";
                    value?: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description entity=: its kind
                             * @enum {string}
                             */
                            kind?: "domain" | "ip" | "certificate";
                            /** @description entity=: its id (a certificate by SHA-256) */
                            id?: string;
                            counts: {
                                field: string;
                                /**
                                 * @description what is counted: the entities the field belongs to
                                 * @enum {string}
                                 */
                                kind: "domain" | "ip" | "certificate";
                                value: string;
                                count: number;
                                /** @description false: counting stopped at its scan cap and `count` is a lower bound */
                                complete: boolean;
                            }[];
                            /** @description rows read for this answer */
                            scanned: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation’s tags and classifications, each with how many entities it lists (GET /pivot?field=tag|classification) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tags: {
                                name: string;
                                entities: number;
                            }[];
                            /** @description by effective classification, in order of severity */
                            classifications: {
                                /** @enum {string} */
                                value: "malicious" | "suspicious" | "non-malicious" | "unknown";
                                entities: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/misp-feed/manifest.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's MISP feed manifest: one event per tag and per signature (event uuid → info, date, timestamp, tags) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/misp-feed/hashes.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the MISP feed’s hashes.csv: `MD5 of each attribute value,event uuid` per line */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/misp-feed/{event}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one event of the MISP feed, `UUID.json` (MISP core format) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    /** @description the event uuid with `.json` */
                    event: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's signatures, by id, a page at a time; each with status, author, hits (distinct entities it currently tags, classifies or raised a notification on: the length of GET /pivot?field=signature&value=ID) and last_hit (latest last_matched of those tags/classifications or created of those notifications, or null) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                version: number;
                                enabled: boolean;
                                title: string;
                                field: string;
                                match: string;
                                patterns: number;
                                actions: string[];
                                updated: string;
                                status: string;
                                author: string | null;
                                hits: number;
                                last_hit: string | null;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** import signatures (all or none); retro-hunts the new and changed */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description signatures as YAML (several documents) or JSON */
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** signatures as YAML, re-importable */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    ids?: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one signature, as its file object */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        /** remove a signature (its history stays) */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** enable a signature */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** disable a signature */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** every version of a signature */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            version: number;
                            change: string;
                            enabled: boolean;
                            /** @description the signature as its file object at this version */
                            source: unknown;
                            at: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** what signatures would do over the stored data; stores nothing */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description signatures as YAML (several documents) or JSON */
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/lint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** validate signature text */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description signatures as YAML (several documents) or JSON */
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signatures/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** run signatures' own test cases */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description signatures as YAML (several documents) or JSON */
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hunts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's queued retro-hunts, newest first (a server with a queue) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "running" | "done" | "failed" | "cancelled";
                            /** @description who changed the signatures */
                            actor: string;
                            created: string;
                            finished: string | null;
                            signatures: string[];
                            progress: {
                                parts: number;
                                partsDone: number;
                                scanned: number;
                            };
                            report: {
                                scanned: {
                                    [key: string]: number;
                                };
                                matched: number;
                                planned: {
                                    [key: string]: number;
                                };
                                applied: {
                                    [key: string]: number;
                                };
                                sample: {
                                    [key: string]: unknown;
                                }[];
                            };
                            error?: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hunts/{job}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a queued retro-hunt: status, parts done, the report so far */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    job: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "running" | "done" | "failed" | "cancelled";
                            /** @description who changed the signatures */
                            actor: string;
                            created: string;
                            finished: string | null;
                            signatures: string[];
                            progress: {
                                parts: number;
                                partsDone: number;
                                scanned: number;
                            };
                            report: {
                                scanned: {
                                    [key: string]: number;
                                };
                                matched: number;
                                planned: {
                                    [key: string]: number;
                                };
                                applied: {
                                    [key: string]: number;
                                };
                                sample: {
                                    [key: string]: unknown;
                                }[];
                            };
                            error?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hunts/{job}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** cancel a running retro-hunt: its parts stop at their next page */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    job: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "running" | "done" | "failed" | "cancelled";
                            /** @description who changed the signatures */
                            actor: string;
                            created: string;
                            finished: string | null;
                            signatures: string[];
                            progress: {
                                parts: number;
                                partsDone: number;
                                scanned: number;
                            };
                            report: {
                                scanned: {
                                    [key: string]: number;
                                };
                                matched: number;
                                planned: {
                                    [key: string]: number;
                                };
                                applied: {
                                    [key: string]: number;
                                };
                                sample: {
                                    [key: string]: unknown;
                                }[];
                            };
                            error?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's notifications, newest first, with the filter's total */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    unread?: boolean;
                    /** @description a signature id */
                    signature?: string;
                    severity?: "low" | "medium" | "high";
                    /** @description YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
                    since?: string;
                    status?: "open" | "acknowledged" | "resolved" | "false_positive";
                    /** @description a member's email, or `none` for unassigned */
                    assignee?: string;
                    /** @description a substring of the signature's title or id (any case) */
                    title?: string;
                    limit?: number;
                    /** @description skip this many (a page kept in a URL) */
                    offset?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                signature: string;
                                /** @description the signature's title (its id when it has none) */
                                title: string;
                                /** @description a headline naming the signature's title and the entity, hashes shortened */
                                display: string;
                                entity: string;
                                kind: string;
                                field: string;
                                value: string;
                                severity: string;
                                headline: string;
                                content: string;
                                created: string;
                                read: boolean;
                                /** @enum {string} */
                                status: "open" | "acknowledged" | "resolved" | "false_positive";
                                status_at: string | null;
                                status_by: string | null;
                                assignee: string | null;
                                /** @description how many comments it has */
                                comments: number;
                            }[];
                            next: string | null;
                            total: number;
                            offset: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the filtered notifications grouped by signature, the largest group first */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    unread?: boolean;
                    /** @description a signature id */
                    signature?: string;
                    severity?: "low" | "medium" | "high";
                    /** @description YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
                    since?: string;
                    status?: "open" | "acknowledged" | "resolved" | "false_positive";
                    /** @description a member's email, or `none` for unassigned */
                    assignee?: string;
                    /** @description a substring of the signature's title or id (any case) */
                    title?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            groups: {
                                signature: string;
                                title: string;
                                count: number;
                                unread: number;
                                newest: string;
                                byStatus: {
                                    open: number;
                                    acknowledged: number;
                                    resolved: number;
                                    false_positive: number;
                                };
                                bySeverity: {
                                    [key: string]: number;
                                };
                            }[];
                            /** @description how many groups */
                            total: number;
                            /** @description how many notifications the filter selects */
                            notifications: number;
                            offset: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** unread by signature and severity, counts per day */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            unread: number;
                            total: number;
                            unreadBySignature: {
                                [key: string]: number;
                            };
                            unreadBySeverity: {
                                [key: string]: number;
                            };
                            perDay: {
                                day: string;
                                count: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/assignees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the members a notification may be assigned to */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            role: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** mark read or unread: the ids given, or everything the filter in the query selects (matching: true) */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    unread?: boolean;
                    /** @description a signature id */
                    signature?: string;
                    severity?: "low" | "medium" | "high";
                    /** @description YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
                    since?: string;
                    status?: "open" | "acknowledged" | "resolved" | "false_positive";
                    /** @description a member's email, or `none` for unassigned */
                    assignee?: string;
                    /** @description a substring of the signature's title or id (any case) */
                    title?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description these notifications (and only those the query filter also selects) */
                        ids?: string[];
                        /**
                         * @description every notification the query filter selects (no filter: all of them)
                         * @enum {boolean}
                         */
                        matching?: true;
                        /** @default true */
                        read?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            updated: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/triage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** set the status and/or assignee of the ids given, or of everything the filter in the query selects (matching: true); audited */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    unread?: boolean;
                    /** @description a signature id */
                    signature?: string;
                    severity?: "low" | "medium" | "high";
                    /** @description YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
                    since?: string;
                    status?: "open" | "acknowledged" | "resolved" | "false_positive";
                    /** @description a member's email, or `none` for unassigned */
                    assignee?: string;
                    /** @description a substring of the signature's title or id (any case) */
                    title?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description these notifications (and only those the query filter also selects) */
                        ids?: string[];
                        /**
                         * @description every notification the query filter selects (no filter: all of them)
                         * @enum {boolean}
                         */
                        matching?: true;
                        /** @enum {string} */
                        status?: "open" | "acknowledged" | "resolved" | "false_positive";
                        /** @description a member's email; null unassigns */
                        assignee?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            updated: number;
                            ids: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one notification and its comments */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            notification: {
                                id: string;
                                signature: string;
                                /** @description the signature's title (its id when it has none) */
                                title: string;
                                /** @description a headline naming the signature's title and the entity, hashes shortened */
                                display: string;
                                entity: string;
                                kind: string;
                                field: string;
                                value: string;
                                severity: string;
                                headline: string;
                                content: string;
                                created: string;
                                read: boolean;
                                /** @enum {string} */
                                status: "open" | "acknowledged" | "resolved" | "false_positive";
                                status_at: string | null;
                                status_by: string | null;
                                assignee: string | null;
                                /** @description how many comments it has */
                                comments: number;
                            };
                            comments: {
                                seq: number;
                                author: string;
                                at: string;
                                text: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** set one notification's status and/or assignee; audited */
        patch: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status?: "open" | "acknowledged" | "resolved" | "false_positive";
                        /** @description a member's email; null unassigns */
                        assignee?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            signature: string;
                            /** @description the signature's title (its id when it has none) */
                            title: string;
                            /** @description a headline naming the signature's title and the entity, hashes shortened */
                            display: string;
                            entity: string;
                            kind: string;
                            field: string;
                            value: string;
                            severity: string;
                            headline: string;
                            content: string;
                            created: string;
                            read: boolean;
                            /** @enum {string} */
                            status: "open" | "acknowledged" | "resolved" | "false_positive";
                            status_at: string | null;
                            status_by: string | null;
                            assignee: string | null;
                            /** @description how many comments it has */
                            comments: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/notifications/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** comment on a notification; audited */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            seq: number;
                            author: string;
                            at: string;
                            text: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/exclusion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the exclude pattern that would stop this notification's value in its signature (nothing changes) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            applicable: boolean;
                            signature: string;
                            field?: string;
                            match?: string;
                            value?: string;
                            pattern?: string;
                            /** @description the changed signature as YAML */
                            text?: string;
                            /** @description why there is none to offer */
                            reason?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** add that exclude pattern to the signature (a new version, audited as signature.change); 409 when there is none to add */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            signature: string;
                            pattern: string;
                            version: number;
                            withdrawn: {
                                tags: number;
                                classifications: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's published packs (with the organisations allowed to subscribe) and the packs other organisations offer it (with its subscription) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            published: {
                                /** @description publisher/name */
                                pack: string;
                                name: string;
                                version: number;
                                description: string;
                                updated: string;
                                signatures: string[];
                                grants: {
                                    org: string;
                                    granted: string;
                                    subscribed_version: number | null;
                                }[];
                            }[];
                            offered: {
                                pack: string;
                                publisher: string;
                                name: string;
                                version: number;
                                description: string;
                                updated: string;
                                signatures: number;
                                subscription: {
                                    version: number;
                                    subscribed: string;
                                    updated: string;
                                    /** @description pack signatures this organisation switched off */
                                    disabled: string[];
                                } | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** publish a new version of a pack: a snapshot of the named signatures' text (without `signatures`: the current version's ids, their text now); every subscription moves to it and retro-hunts */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        signatures?: string[];
                        description?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one pack, read-only: its versions and signatures (for a subscriber: at its version, with its own hits) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pack: string;
                            publisher: string;
                            name: string;
                            version: number;
                            description: string;
                            /** @description the version of the signatures listed: the subscription's, else the newest */
                            shown_version: number;
                            versions: {
                                version: number;
                                published: string;
                                signatures: number;
                            }[];
                            subscription: {
                                version: number;
                                subscribed: string;
                                updated: string;
                                /** @description pack signatures this organisation switched off */
                                disabled: string[];
                            } | null;
                            signatures: {
                                id: string;
                                /** @description its id in a subscriber's organisation (publisher/pack/id): what its tags name */
                                runs_as: string;
                                title: string;
                                field: string;
                                enabled: boolean;
                                /** @description the subscriber's own entities it tags, classifies or alerted on; null for the publisher */
                                hits: number | null;
                                /** @description the signature as its file object, as published */
                                signature: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** allow another organisation to subscribe to this pack (the publisher’s consent) */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        org: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}/grants/{consumer}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** withdraw the consent: the organisation’s subscription ends and what the pack tagged there is withdrawn */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                    consumer: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}/subscription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** subscribe to a pack offered to this organisation (or bring the subscription up to date); retro-hunts with its signatures */
        put: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        post?: never;
        /** unsubscribe: every tag and classification the pack made in this organisation is withdrawn */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pack: string;
                            version: number;
                            withdrawn: {
                                tags: number;
                                classifications: number;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}/signatures/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** switch a subscribed pack's signature back on (it retro-hunts) */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/packs/{publisher}/{pack}/signatures/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** switch one of a subscribed pack's signatures off here (its tags are withdrawn) */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    publisher: string;
                    pack: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/brands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's brands: the patterns of its enabled look-alike signatures, each with the look-alikes found so far */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            brand: string;
                            /** @description the look-alike signatures naming the brand, with the pattern as each wrote it */
                            patterns: {
                                signature: string;
                                pattern: string;
                            }[];
                            /** @description distinct entities found so far */
                            lookalikes: number;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/brands/{brand}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a brand's look-alikes found so far, grouped by their first (most specific) family, newest first, with registration, addresses, certificate and classification */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description look-alikes per family */
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description a brand pattern (case-insensitive) */
                    brand: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            brand: string;
                            /** @description the look-alike signatures naming the brand, with the pattern as each wrote it */
                            patterns: {
                                signature: string;
                                pattern: string;
                            }[];
                            total: number;
                            families: {
                                /** @enum {string} */
                                family: "homoglyph" | "repetition" | "vowel-swap" | "bitsquatting" | "omission" | "insertion" | "replacement" | "transposition" | "hyphenation" | "keyword-added" | "tld-swap";
                                total: number;
                                items: {
                                    kind: string;
                                    entity: string;
                                    signature: string;
                                    field: string;
                                    /** @description the value the signature matched */
                                    value: string;
                                    families: ("homoglyph" | "repetition" | "vowel-swap" | "bitsquatting" | "omission" | "insertion" | "replacement" | "transposition" | "hyphenation" | "keyword-added" | "tld-swap")[];
                                    distance: number;
                                    /** @description the hit explained in words, by the signature as it is now */
                                    why: string;
                                    /** @description when a signature first recorded it */
                                    found: string;
                                    /** @description the newest WHOIS version's creation date (domains) */
                                    registered: string | null;
                                    /** @description a few addresses it resolves to (a certificate: is served on), most recent first */
                                    ips: string[];
                                    /** @description the newest certificate naming it (else served on an address it resolves to) */
                                    certificate: {
                                        sha256: string;
                                        issuer: string | null;
                                    } | null;
                                    classification: {
                                        value?: string;
                                        source?: string;
                                        signature?: string;
                                    } | null;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/brands/{brand}/exclusion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** add the value one of the brand's look-alike signatures matched to that signature's excludes (a new version, audited as signature.change, retro-hunted); 409 when there is none to add */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    /** @description a brand pattern (case-insensitive) */
                    brand: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        signature: string;
                        value: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            signature: string;
                            /** @description the exclude added */
                            pattern: string;
                            version: number;
                            withdrawn: {
                                tags: number;
                                classifications: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's delivery channels and their outbox counts (never secrets) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            /** @enum {string} */
                            type: "webhook" | "email";
                            /** @description url and format, or to and digest; admins see the URL with a password masked, others only scheme, host and port (https://hooks.example/…) */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description webhook deliveries are signed (X-Warren-Signature); the secret itself is never shown */
                            has_secret: boolean;
                            created: string;
                            outbox?: {
                                pending?: number;
                                sent?: number;
                                dead?: number;
                            };
                        }[];
                    };
                };
            };
        };
        put?: never;
        /** add a webhook or email channel */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1 to 64 of a-z 0-9 . _ - starting with a letter or digit */
                        name: string;
                        /** @enum {string} */
                        type: "webhook" | "email";
                        /** @description webhook: the http(s) URL to POST to */
                        url?: string;
                        /** @description webhook: HMAC-SHA256 key for X-Warren-Signature (never shown again); without it deliveries are unsigned */
                        secret?: string;
                        /**
                         * @description webhook: payload format (default json)
                         * @enum {string}
                         */
                        format?: "json" | "slack";
                        /** @description email: the recipient */
                        to?: string;
                        /**
                         * @description email: one digest per UTC day
                         * @enum {string}
                         */
                        digest?: "daily";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            /** @enum {string} */
                            type: "webhook" | "email";
                            /** @description url and format, or to and digest; admins see the URL with a password masked, others only scheme, host and port (https://hooks.example/…) */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description webhook deliveries are signed (X-Warren-Signature); the secret itself is never shown */
                            has_secret: boolean;
                            created: string;
                            outbox?: {
                                pending?: number;
                                sent?: number;
                                dead?: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** remove a channel and the deliveries it still had to send */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            removed: string;
                            dropped_pending: number;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** send a test message through a channel now (not through the outbox); ok false gives the failure class (never what the receiver answered) */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            /** @enum {string} */
                            error?: "refused" | "unreachable" | "timeout" | "tls" | "interrupted" | "http_error" | "config" | "not_configured" | "smtp_error";
                            /** @description the HTTP status of an http_error */
                            status?: number;
                            /** @description Warren's words for the failure class */
                            message?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's members and their roles */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            /** @enum {string} */
                            role: "admin" | "analyst" | "viewer";
                        }[];
                    };
                };
            };
        };
        put?: never;
        /**
         * change a member's role, or invite someone (server admins: add them directly, creating the account)
         * @description For an email that is a member of this organisation: its role changes (200). Otherwise an invitation is recorded (201), the same answer whether or not an account exists for the email; the membership exists once the invitee accepts it (POST /invitations/:id/accept). A server admin adds the user directly instead (201, creating the account, with a password if given).
         */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        /** @enum {string} */
                        role: "admin" | "analyst" | "viewer";
                        /** @description server admins only, for a new account: browser sign-in (API keys need none) */
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            org: string;
                            role: string;
                            /**
                             * @description member: the role is set; invited: the membership exists once they accept
                             * @enum {string}
                             */
                            status: "member" | "invited";
                            /** @description the invitation id (status invited) */
                            invitation?: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            org: string;
                            role: string;
                            /**
                             * @description member: the role is set; invited: the membership exists once they accept
                             * @enum {string}
                             */
                            status: "member" | "invited";
                            /** @description the invitation id (status invited) */
                            invitation?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's pending invitations */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            org: string;
                            email: string;
                            role: string;
                            invited_by: string;
                            created: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** withdraw a pending invitation of the organisation */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            org: string;
                            email: string;
                            role: string;
                            invited_by: string;
                            created: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** your pending invitations (to your email), from any organisation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            org: string;
                            email: string;
                            role: string;
                            invited_by: string;
                            created: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** accept an invitation: you become a member with its role */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            org: string;
                            email: string;
                            role: string;
                            invited_by: string;
                            created: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations/{id}/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** decline an invitation */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            org: string;
                            email: string;
                            role: string;
                            invited_by: string;
                            created: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apikeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** your API keys for this organisation and your unscoped ones (never the keys themselves); admins may ask for a member's keys of this organisation with ?user= */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    user?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            user: string;
                            /** @description the organisation the key acts in; null for an unscoped key made before keys were scoped */
                            org?: string | null;
                            name: string;
                            created: string;
                            last_used: string | null;
                            revoked: string | null;
                        }[];
                    };
                };
            };
        };
        put?: never;
        /** create an API key for yourself that acts in this organisation only; the key is in this answer only */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            user: string;
                            /** @description the organisation the key acts in; null for an unscoped key made before keys were scoped */
                            org?: string | null;
                            name: string;
                            created: string;
                            last_used: string | null;
                            revoked: string | null;
                            /** @description shown once: keep it */
                            key: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/apikeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** revoke one of your API keys of this organisation or unscoped (admins: also a member's key of this organisation) */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            user: string;
                            /** @description the organisation the key acts in; null for an unscoped key made before keys were scoped */
                            org?: string | null;
                            name: string;
                            created: string;
                            last_used: string | null;
                            revoked: string | null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's audit log, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    limit?: number;
                    /** @description the `next` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                seq: number;
                                at: string;
                                actor: string;
                                action: string;
                                target: string;
                                before?: unknown;
                                after?: unknown;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's ingest jobs this server remembers, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "running" | "done" | "failed";
                            format: string;
                            /** @description who uploaded it */
                            actor: string;
                            created: string;
                            finished: string | null;
                            progress: {
                                records: number;
                                bytesRead: number;
                                size: number;
                                /** @description with a queue: the parts the upload was cut into */
                                parts?: number;
                                /** @description with a queue: parts ingested */
                                partsDone?: number;
                            };
                            summary: {
                                read: number;
                                /** @description records stored by kind */
                                stored: {
                                    [key: string]: number;
                                };
                                rejected: number;
                                actions: {
                                    tags?: number;
                                    classifications?: number;
                                    notifications?: number;
                                };
                            };
                            /** @description the first 100 rejected records */
                            rejects?: {
                                input: string;
                                line: number;
                                message: string;
                            }[];
                            /** @description why a failed job stopped */
                            error?: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        /**
         * upload one data file (the body, raw or gzip) to ingest; answers 202 with the job to follow
         * @description Content types: application/octet-stream, text/plain, application/x-ndjson, application/gzip. At most 268435456 bytes. Stored records are evaluated against the signatures of the uploader's organisation only; other organisations' signatures meet the data when they view an entity or retro-hunt. At most 4 jobs run at once (429 before the body is read).
         */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description default: detected from the content */
                    format?: "pem" | "der" | "whois" | "rdap" | "cof" | "dnsdb" | "certstream" | "zeek" | "mmdb" | "iptoasn" | "ip-location-db" | "pfx2as" | "warren";
                    /** @description the domain of a WHOIS reply that does not name it */
                    domain?: string;
                    /** @description a file name for messages and detection (default: upload) */
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description the file to ingest, as it is (or gzip-compressed) */
            requestBody: {
                content: {
                    "application/octet-stream": unknown;
                    "text/plain": unknown;
                    "application/x-ndjson": unknown;
                    "application/gzip": unknown;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: string;
                            status: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest/{job}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an ingest job: status, progress, summary and the first rejects */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path: {
                    job: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "running" | "done" | "failed";
                            format: string;
                            /** @description who uploaded it */
                            actor: string;
                            created: string;
                            finished: string | null;
                            progress: {
                                records: number;
                                bytesRead: number;
                                size: number;
                                /** @description with a queue: the parts the upload was cut into */
                                parts?: number;
                                /** @description with a queue: parts ingested */
                                partsDone?: number;
                            };
                            summary: {
                                read: number;
                                /** @description records stored by kind */
                                stored: {
                                    [key: string]: number;
                                };
                                rejected: number;
                                actions: {
                                    tags?: number;
                                    classifications?: number;
                                    notifications?: number;
                                };
                            };
                            /** @description the first 100 rejected records */
                            rejects?: {
                                input: string;
                                line: number;
                                message: string;
                            }[];
                            /** @description why a failed job stopped */
                            error?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/feeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** every followed feed: position, size, lag, entries/s, last error (the server's feeds: the same list for every organisation) */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description as given to warren watch: ct:https://…/, certstream:wss://…, domains:… */
                            feed: string;
                            /** @description after the last stored batch */
                            position: {
                                [key: string]: unknown;
                            } | null;
                            /** @description after the last batch whose signatures ran: where a restart resumes */
                            evaluated: {
                                [key: string]: unknown;
                            } | null;
                            /** @description the next entry to read, when the position counts entries */
                            index: number | null;
                            /** @description entries at the source in all (a CT log's tree size), when known */
                            size: number | null;
                            /** @description size − index, when both are known */
                            lag: number | null;
                            /** @description when the newest entry appeared at the source */
                            newest: string | null;
                            /** @description entries read in all */
                            entries: number;
                            /** @description entries per second over the last minute (0 when the feed has not reported for 10 minutes) */
                            rate: number;
                            /** @description failures in all, each retried */
                            errors: number;
                            lastError: string | null;
                            lastErrorAt: string | null;
                            /** @description when the feed last reported */
                            updated: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/enrichment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** enrichment of a domain or an IP: registrable domain, routing, tags (evaluates signatures) */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queryValue: string;
                            queryType: string;
                            primaryDomain: string | null;
                            tld: string | null;
                            subdomains: string[];
                            tags: string[];
                            dynamicDns: boolean;
                            everCompromised: boolean;
                        } | {
                            queryValue: string;
                            queryType: string;
                            network: string | null;
                            autonomousSystemName: string | null;
                            autonomousSystemNumber: number | null;
                            country?: string | null;
                            latitude?: number | null;
                            longitude?: number | null;
                            sinkhole: boolean;
                            everCompromised: boolean;
                            tags: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/actions/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's tags on a domain, IP or certificate */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tags: string[];
                        };
                    };
                };
            };
        };
        /** add tags (as POST); answers all tags after the change */
        put: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description domain, IP address or certificate SHA-1 */
                        query: string;
                        tags: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tags: string[];
                        };
                    };
                };
            };
        };
        /** add tags; answers all tags after the change */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description domain, IP address or certificate SHA-1 */
                        query: string;
                        tags: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tags: string[];
                        };
                    };
                };
            };
        };
        /** remove tags added by hand; answers all tags after the change */
        delete: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description domain, IP address or certificate SHA-1 */
                        query: string;
                        tags: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tags: string[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/actions/classification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's effective classification (unknown when none) */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            classification?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** classify by hand (wins over every signature); non-malicious may be spelt non_malicious */
        post: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description domain, IP address or certificate SHA-1 */
                        query: string;
                        /** @enum {string} */
                        classification: "malicious" | "suspicious" | "non-malicious" | "non_malicious" | "unknown";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queryValue?: string;
                            classification?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/whois": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the domain's newest WHOIS record (its registrable domain's when it has none); 404 when there is none */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domain?: string;
                            registrar?: string | null;
                            whoisServer?: string | null;
                            contactEmail?: string | null;
                            nameServers?: string[];
                            registered?: string | null;
                            registryUpdatedAt?: string | null;
                            expiresAt?: string | null;
                            lastLoadedAt?: string | null;
                            rawText?: string | null;
                            organization?: string | null;
                            name?: string | null;
                            telephone?: string | null;
                            registrant?: {
                                name?: string;
                                organization?: string;
                                email?: string;
                                telephone?: string;
                                street?: string;
                                city?: string;
                                state?: string;
                                postalCode?: string;
                                country?: string;
                            };
                            admin?: {
                                name?: string;
                                organization?: string;
                                email?: string;
                                telephone?: string;
                                street?: string;
                                city?: string;
                                state?: string;
                                postalCode?: string;
                                country?: string;
                            };
                            tech?: {
                                name?: string;
                                organization?: string;
                                email?: string;
                                telephone?: string;
                                street?: string;
                                city?: string;
                                state?: string;
                                postalCode?: string;
                                country?: string;
                            };
                            billing?: {
                                name?: string;
                                organization?: string;
                                email?: string;
                                telephone?: string;
                                street?: string;
                                city?: string;
                                state?: string;
                                postalCode?: string;
                                country?: string;
                            };
                            zone?: Record<string, never>;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/whois/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** domains whose newest WHOIS record has the value in the field (exact, case-insensitive, any contact), at most 100 */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                    field: "domain" | "email" | "name" | "organization" | "address" | "phone" | "nameserver";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results?: {
                                domain?: string;
                                registrar?: string | null;
                                whoisServer?: string | null;
                                contactEmail?: string | null;
                                nameServers?: string[];
                                registered?: string | null;
                                registryUpdatedAt?: string | null;
                                expiresAt?: string | null;
                                lastLoadedAt?: string | null;
                                rawText?: string | null;
                                organization?: string | null;
                                name?: string | null;
                                telephone?: string | null;
                                registrant?: {
                                    name?: string;
                                    organization?: string;
                                    email?: string;
                                    telephone?: string;
                                    street?: string;
                                    city?: string;
                                    state?: string;
                                    postalCode?: string;
                                    country?: string;
                                };
                                admin?: {
                                    name?: string;
                                    organization?: string;
                                    email?: string;
                                    telephone?: string;
                                    street?: string;
                                    city?: string;
                                    state?: string;
                                    postalCode?: string;
                                    country?: string;
                                };
                                tech?: {
                                    name?: string;
                                    organization?: string;
                                    email?: string;
                                    telephone?: string;
                                    street?: string;
                                    city?: string;
                                    state?: string;
                                    postalCode?: string;
                                    country?: string;
                                };
                                billing?: {
                                    name?: string;
                                    organization?: string;
                                    email?: string;
                                    telephone?: string;
                                    street?: string;
                                    city?: string;
                                    state?: string;
                                    postalCode?: string;
                                    country?: string;
                                };
                                zone?: Record<string, never>;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ssl-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a certificate by SHA-1 (or SHA-256), or the certificates served on an IP; results are empty when unknown */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results?: {
                                sha1?: string | null;
                                fingerprint?: string | null;
                                serialNumber?: string | null;
                                sslVersion?: string | null;
                                issueDate?: string | null;
                                expirationDate?: string | null;
                                subjectAlternativeNames?: string[];
                                subjectCommonName?: string | null;
                                subjectOrganizationName?: string | null;
                                subjectOrganizationUnitName?: string | null;
                                subjectCountry?: string | null;
                                subjectStateOrProvinceName?: string | null;
                                subjectProvince?: string | null;
                                subjectLocalityName?: string | null;
                                subjectStreetAddress?: string | null;
                                subjectEmailAddress?: string | null;
                                subjectGivenName?: string | null;
                                subjectSurname?: string | null;
                                subjectSerialNumber?: string | null;
                                issuerCommonName?: string | null;
                                issuerOrganizationName?: string | null;
                                issuerOrganizationUnitName?: string | null;
                                issuerCountry?: string | null;
                                issuerStateOrProvinceName?: string | null;
                                issuerProvince?: string | null;
                                issuerLocalityName?: string | null;
                                issuerStreetAddress?: string | null;
                                issuerEmailAddress?: string | null;
                                issuerGivenName?: string | null;
                                issuerSurname?: string | null;
                                issuerSerialNumber?: string | null;
                                der?: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ssl-certificate/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** certificates whose field equals the value (case-insensitive; name: a substring of a CN or SAN), at most 100 */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                    field: "sha1" | "fingerprint" | "serialNumber" | "sslVersion" | "issueDate" | "expirationDate" | "subjectAlternativeNames" | "subjectCommonName" | "subjectOrganizationName" | "subjectOrganizationUnitName" | "subjectCountry" | "subjectStateOrProvinceName" | "subjectProvince" | "subjectLocalityName" | "subjectStreetAddress" | "subjectEmailAddress" | "subjectGivenName" | "subjectSurname" | "subjectSerialNumber" | "issuerCommonName" | "issuerOrganizationName" | "issuerOrganizationUnitName" | "issuerCountry" | "issuerStateOrProvinceName" | "issuerProvince" | "issuerLocalityName" | "issuerStreetAddress" | "issuerEmailAddress" | "issuerGivenName" | "issuerSurname" | "issuerSerialNumber" | "name";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results?: {
                                sha1?: string | null;
                                fingerprint?: string | null;
                                serialNumber?: string | null;
                                sslVersion?: string | null;
                                issueDate?: string | null;
                                expirationDate?: string | null;
                                subjectAlternativeNames?: string[];
                                subjectCommonName?: string | null;
                                subjectOrganizationName?: string | null;
                                subjectOrganizationUnitName?: string | null;
                                subjectCountry?: string | null;
                                subjectStateOrProvinceName?: string | null;
                                subjectProvince?: string | null;
                                subjectLocalityName?: string | null;
                                subjectStreetAddress?: string | null;
                                subjectEmailAddress?: string | null;
                                subjectGivenName?: string | null;
                                subjectSurname?: string | null;
                                subjectSerialNumber?: string | null;
                                issuerCommonName?: string | null;
                                issuerOrganizationName?: string | null;
                                issuerOrganizationUnitName?: string | null;
                                issuerCountry?: string | null;
                                issuerStateOrProvinceName?: string | null;
                                issuerProvince?: string | null;
                                issuerLocalityName?: string | null;
                                issuerStreetAddress?: string | null;
                                issuerEmailAddress?: string | null;
                                issuerGivenName?: string | null;
                                issuerSurname?: string | null;
                                issuerSerialNumber?: string | null;
                                der?: boolean;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/ssl-certificate/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** where a certificate was served (by SHA-1), or which certificates an IP served: first and last seen, IPs */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results?: {
                                sha1?: string;
                                firstSeen?: string | null;
                                lastSeen?: string | null;
                                ipAddresses?: string[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/dns/passive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** passive DNS of a domain or an IP, at most 1000 records (most recently seen first) */
        get: {
            parameters: {
                query: {
                    /** @description organisation (default: your first) */
                    org?: string;
                    /** @description domain, IP address or certificate SHA-1 */
                    query: string;
                    /** @description YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC) */
                    start?: string;
                    /** @description YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC) */
                    end?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queryValue?: string;
                            queryType?: string;
                            firstSeen?: string | null;
                            lastSeen?: string | null;
                            totalRecords?: number;
                            results?: {
                                resolve?: string;
                                resolveType?: string;
                                recordType?: string;
                                firstSeen?: string | null;
                                lastSeen?: string | null;
                                collected?: string | null;
                                source?: string[];
                                value?: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the caller: email, names, and the organisation the request acts in */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            username?: string;
                            firstName?: string | null;
                            lastName?: string | null;
                            organization?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/account/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's notifications, newest first, at most 1000 */
        get: {
            parameters: {
                query?: {
                    /** @description organisation (default: your first) */
                    org?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            notifications?: {
                                username?: string;
                                headline?: string;
                                generated?: string | null;
                                content?: string;
                                type?: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAXII discovery: the API roots (one per organisation you may act in) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a TAXII API root: an organisation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** the organisation's collections: one per tag, one per signature */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/{collection}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one collection */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                    /** @description a collection id */
                    collection: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/{collection}/objects/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a page of the collection's STIX objects */
        get: {
            parameters: {
                query?: {
                    /** @description RFC 3339: only objects added after it */
                    added_after?: string;
                    /** @description objects per page (default 100, at most 1000) */
                    limit?: number;
                    /** @description the `next` of the previous page */
                    next?: string;
                    /** @description comma-separated, or repeated */
                    "match[type]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[id]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[version]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[spec_version]"?: string[];
                };
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                    /** @description a collection id */
                    collection: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/{collection}/objects/{object}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** one object of the collection */
        get: {
            parameters: {
                query?: {
                    /** @description RFC 3339: only objects added after it */
                    added_after?: string;
                    /** @description objects per page (default 100, at most 1000) */
                    limit?: number;
                    /** @description the `next` of the previous page */
                    next?: string;
                    /** @description comma-separated, or repeated */
                    "match[type]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[id]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[version]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[spec_version]"?: string[];
                };
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                    /** @description a collection id */
                    collection: string;
                    /** @description a STIX id */
                    object: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/{collection}/objects/{object}/versions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** an object's versions (Warren keeps the latest) */
        get: {
            parameters: {
                query?: {
                    /** @description RFC 3339: only objects added after it */
                    added_after?: string;
                    /** @description objects per page (default 100, at most 1000) */
                    limit?: number;
                    /** @description the `next` of the previous page */
                    next?: string;
                    /** @description comma-separated, or repeated */
                    "match[type]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[id]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[version]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[spec_version]"?: string[];
                };
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                    /** @description a collection id */
                    collection: string;
                    /** @description a STIX id */
                    object: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/{root}/collections/{collection}/manifest/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** a page of the collection's manifest */
        get: {
            parameters: {
                query?: {
                    /** @description RFC 3339: only objects added after it */
                    added_after?: string;
                    /** @description objects per page (default 100, at most 1000) */
                    limit?: number;
                    /** @description the `next` of the previous page */
                    next?: string;
                    /** @description comma-separated, or repeated */
                    "match[type]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[id]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[version]"?: string[];
                    /** @description comma-separated, or repeated */
                    "match[spec_version]"?: string[];
                };
                header?: never;
                path: {
                    /** @description the organisation */
                    root: string;
                    /** @description a collection id */
                    collection: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

export const ROLES = ["admin","analyst","viewer"] as const;
export const SEVERITIES = ["low","medium","high"] as const;
export const NOTIFICATION_STATUSES = ["open","acknowledged","resolved","false_positive"] as const;
export const CLASSIFICATIONS = ["malicious","suspicious","non-malicious","unknown"] as const;
export const FORMATS = ["pem","der","whois","rdap","cof","dnsdb","certstream","zeek","mmdb","iptoasn","ip-location-db","pfx2as","warren"] as const;
export const PIVOT_FIELDS = ["network","as.number","as.name","network.name","network.handle","network.range","network.country","network.organization","network.abuse_email","network.registry","network.created","whois.registrar","whois.whois_server","whois.name_servers","whois.status","whois.created","whois.updated","whois.expires","whois.registrant.name","whois.registrant.organization","whois.registrant.email","whois.registrant.phone","whois.registrant.street","whois.registrant.city","whois.registrant.state","whois.registrant.postal_code","whois.registrant.country","whois.admin.name","whois.admin.organization","whois.admin.email","whois.admin.phone","whois.admin.street","whois.admin.city","whois.admin.state","whois.admin.postal_code","whois.admin.country","whois.tech.name","whois.tech.organization","whois.tech.email","whois.tech.phone","whois.tech.street","whois.tech.city","whois.tech.state","whois.tech.postal_code","whois.tech.country","whois.billing.name","whois.billing.organization","whois.billing.email","whois.billing.phone","whois.billing.street","whois.billing.city","whois.billing.state","whois.billing.postal_code","whois.billing.country","whois.email","whois.name","whois.organization","whois.phone","whois.address","x509.subject.common_name","x509.subject.organization","x509.subject.organizational_unit","x509.subject.country","x509.subject.state_or_province","x509.subject.locality","x509.subject.email_address","x509.subject.distinguished_name","x509.issuer.common_name","x509.issuer.organization","x509.issuer.organizational_unit","x509.issuer.country","x509.issuer.state_or_province","x509.issuer.locality","x509.issuer.email_address","x509.issuer.distinguished_name","x509.serial_number","x509.alternative_names"] as const;
