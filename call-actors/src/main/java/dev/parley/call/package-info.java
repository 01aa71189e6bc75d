/** The live call: its sharded entity, child actors for speech and language, providers, audio. */
package dev.parley.call;
