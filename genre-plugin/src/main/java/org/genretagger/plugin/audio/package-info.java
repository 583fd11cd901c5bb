/**
 * Streaming audio decoding through FFmpeg (JavaCPP): any format FFmpeg reads, to mono float samples at
 * the model's rate. Entry point: {@link org.genretagger.plugin.audio.AudioDecoder}.
 */
package org.genretagger.plugin.audio;
