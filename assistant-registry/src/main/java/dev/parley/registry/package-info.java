/** Assistants, tools, squads, phone numbers, credentials, orgs and API keys. */
package dev.parley.registry;
