# genretagger: genres from the audio itself, by the genre tagger, inside beets.
#
# Set-up (config.yaml):
#
#     pluginpath: /path/to/genre-tagger-0.1.0/integrations/beets/beetsplug   # the folder holding genretagger.py
#     plugins: genretagger
#     genretagger:
#         command: genre-tagger          # or e.g. java -jar /opt/genre-tagger/lib/host-demo.jar
#
# One genre-tagger process (one JVM) serves a whole `beet genretag` run, or a whole `beet import`:
# the plugin writes the tracks' paths to `genre-tagger classify --json --stdin --timeline` and reads
# one JSON line per track back as soon as each is classified. What to write is decided here, by the
# rules `genre-tagger retag` follows (threshold, not-music, runner-ups, album means), and stored
# through beets, so its database, queries and tag writing see it.

"""Tag genres from the audio with the genre tagger (a local classifier, no web)."""

import json
import os
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict, deque

from beets import config, importer, ui
from beets.plugins import BeetsPlugin
from beets.util import displayable_path

# The `classify --stdin` protocol this plugin speaks (the tool's first line says which it has).
PROTOCOL = 1
# A runner-up genre is written only if its probability is at least this share of the top genre's
# (as `genre-tagger retag --max-genres`).
RUNNER_UP_SHARE = 0.5

INSTALL = ("install the genre tagger: unpack genre-tagger-0.1.0.tar.gz (built by `mvn package` into "
           "host-demo/target/) and put its bin/ on PATH (e.g. `ln -s .../genre-tagger-0.1.0/bin/genre-tagger "
           "~/.local/bin/`), or set genretagger.command in beets' config, e.g. "
           "`command: java -jar /opt/genre-tagger/lib/host-demo.jar` (needs Java 17)")


class ToolError(Exception):
    """The genre tagger is missing, too old, or stopped."""


class Tool(object):
    """A running `classify --json --stdin`: paths in, one JSON line per track out.

    Several batches may go through one process (an import sends one per album); answers come in
    the order tracks finish, each naming its file as it was sent.
    """

    def __init__(self, argv, model=None, log=None):
        self.argv = list(argv) + ['classify', '--json', '--stdin', '--timeline']
        if model:
            self.argv += ['--model', model]
        self._log = log
        env = dict(os.environ)
        # Java opens paths in the locale's encoding: make it UTF-8 when the locale says nothing.
        if 'UTF-8' not in (env.get('LC_ALL') or env.get('LC_CTYPE') or env.get('LANG') or '').upper().replace('UTF8', 'UTF-8'):
            env['LC_ALL'] = 'C.UTF-8'
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, env=env)
        except OSError as e:
            raise ToolError('genre tagger not found ({0}: {1}); {2}'.format(argv[0], e.strerror, INSTALL))
        self._stderr = deque(maxlen=20)
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            self._drain.join(5)
            err = ' '.join(self._stderr)
            if 'stdin' in err or 'Unknown option' in err or 'Unmatched argument' in err:
                raise ToolError('{0} is too old for this plugin (it has no `classify --json --stdin`); {1}'.format(
                    ' '.join(argv), INSTALL))
            raise ToolError('{0} did not start (exit code {1}: {2}); {3}'.format(
                ' '.join(self.argv), self.proc.returncode, err or 'no message', INSTALL))
        try:
            self.header = json.loads(line.decode('utf-8'))
        except ValueError:
            self.close()
            raise ToolError('{0} is too old for this plugin (its first line is not the model header); {1}'.format(
                ' '.join(argv), INSTALL))
        if self.header.get('protocol', 0) < PROTOCOL:
            self.close()
            raise ToolError('{0} is too old for this plugin (protocol {1}, needs {2}); {3}'.format(
                ' '.join(argv), self.header.get('protocol', 0), PROTOCOL, INSTALL))

    def _read_stderr(self):
        for line in iter(self.proc.stderr.readline, b''):
            text = line.decode('utf-8', 'replace').rstrip()
            self._stderr.append(text)
            if self._log:
                self._log.debug('genre-tagger: {0}', text)

    def classify(self, paths):
        """Yields (path, answer) for each path (str), as the tool finishes them."""
        pending = set(paths)
        if not pending:
            return

        def write():
            try:
                for p in paths:
                    self.proc.stdin.write(p.encode('utf-8') + b'\n')
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass  # the reader sees the end and says why

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        while pending:
            line = self.proc.stdout.readline()
            if not line:
                self.proc.wait()
                raise ToolError('{0} stopped (exit code {1}) with {2} tracks unanswered: {3}'.format(
                    ' '.join(self.argv), self.proc.returncode, len(pending), ' '.join(self._stderr) or 'no message'))
            answer = json.loads(line.decode('utf-8'))
            f = answer.get('file')
            if f in pending:
                pending.discard(f)
                yield f, answer
        writer.join()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def verdict(scores, threshold, not_music):
    """The genres to write from a ranked verdict [(genre, label, p)], or (None, why not).

    As `genre-tagger retag`: not-music gets nothing, nothing below the threshold; at a threshold of
    0 the not-music class is set aside and the genres share the probability that it is music.
    """
    if threshold <= 0:
        music = [s for s in scores if s[1] != not_music]
        total = sum(s[2] for s in music)
        scores = [(g, l, p / total if total > 0 else p) for g, l, p in music]
    if not scores:
        return None, 'no verdict'
    top = scores[0]
    if top[1] == not_music:
        return None, 'sounds like speech, noise, tones or silence, not music ({0:.2f})'.format(top[2])
    if top[2] < threshold:
        return None, 'top genre {0} at {1:.2f} is below the confidence threshold {2:.2f}'.format(top[0], top[2], threshold)
    return [s for s in scores if s[1] != not_music], ''


def chosen(genres, count):
    """Up to `count` genres, a runner-up only if at least half as likely as the top one."""
    out = []
    for g, _, p in genres:
        if len(out) == count or (out and p < genres[0][2] * RUNNER_UP_SHARE):
            break
        out.append(g)
    return out


def ranked(answer):
    return [(g['genre'], g['label'], g['probability']) for g in answer['genres']]


def album_scores(answers, header):
    """One verdict over all windows of an album's tracks: the mean of their window probabilities."""
    labels, names = header['labels'], header['genres']
    total = [0.0] * len(labels)
    n = 0
    for a in answers:
        for w in a.get('timeline', []):
            for k, p in enumerate(w['probabilities']):
                total[k] += p
            n += 1
    if n == 0:
        return []
    scores = [(names[k], labels[k], total[k] / n) for k in range(len(labels))]
    scores.sort(key=lambda s: -s[2])
    return scores


class GenreTaggerPlugin(BeetsPlugin):
    def __init__(self):
        super(GenreTaggerPlugin, self).__init__()
        self.config.add({
            'command': None,
            'force': False,
            'min_confidence': None,
            'count': 1,
            'separator': ', ',
            'source': 'track',
            'model': None,
            'auto': False,
            'learn_args': '',
        })
        self._tool = None
        self._lock = threading.Lock()
        if self.config['auto'].get(bool):
            self.import_stages = [self.imported]
        self.register_listener('cli_exit', self._close)
        self.register_listener('import_task_files', self._write_imported)
        self._unwritten = {}
        self._unavailable = False

    # -- the tool ---------------------------------------------------------------------------

    def _command(self):
        cmd = self.config['command'].get()
        if cmd:
            argv = shlex.split(cmd) if isinstance(cmd, str) else [str(c) for c in cmd]
            return [os.path.expanduser(a) for a in argv]
        found = shutil.which('genre-tagger')
        if not found:
            raise ui.UserError('genretagger: genre-tagger is not on PATH and genretagger.command is not set; ' + INSTALL)
        return [found]

    def tool(self):
        if self._tool is None:
            model = self.config['model'].get()
            try:
                self._tool = Tool(self._command(), os.path.expanduser(model) if model else None, self._log)
            except ToolError as e:
                raise ui.UserError('genretagger: {0}'.format(e))
            h = self._tool.header
            self._log.debug('genre tagger {0}: model {1} {2}, threshold {3}', h.get('tool'), h.get('model'),
                            h.get('version'), h.get('minConfidence'))
        return self._tool

    def _close(self, *args, **kwargs):
        if self._tool is not None:
            self._tool.close()
            self._tool = None

    def _threshold(self, opts=None):
        v = getattr(opts, 'min_confidence', None) if opts else None
        if v is None:
            v = self.config['min_confidence'].get()
        return float(v) if v is not None else float(self.tool().header['minConfidence'])

    # -- deciding and storing --------------------------------------------------------------

    def _answers(self, items):
        """Classifies the items' files through the one tool; returns {item.id: answer or None}."""
        by_path = OrderedDict()
        out = {}
        for item in items:
            path = displayable_path(item.path)
            raw = item.path if isinstance(item.path, bytes) else item.path.encode('utf-8', 'surrogateescape')
            try:
                raw.decode('utf-8')
            except UnicodeDecodeError:
                self._log.error('{0}: the path is not UTF-8, the genre tagger cannot open it', path)
                out[item.id] = None
                continue
            if '\n' in path:
                self._log.error('{0}: a path with a line break cannot be sent to the genre tagger', path)
                out[item.id] = None
                continue
            by_path.setdefault(path, []).append(item)
        try:
            for path, answer in self.tool().classify(list(by_path)):
                if 'error' in answer:
                    self._log.error('{0}: {1}', path, answer['error'])
                    answer = None
                for item in by_path[path]:
                    out[item.id] = answer
        except ToolError as e:
            self._close()
            raise ui.UserError('genretagger: {0}'.format(e))
        return out

    def _apply(self, item, scores, opts, pretend, write, source):
        """Sets the item's genre from a ranked verdict if the rules allow; returns whether it changed."""
        force = opts.force if opts is not None and opts.force is not None else self.config['force'].get(bool)
        if item.genre and not force:
            return False
        count = opts.count if opts is not None and opts.count is not None else self.config['count'].get(int)
        separator = self.config['separator'].as_str()
        header = self.tool().header
        genres, why = verdict(scores, self._threshold(opts), header.get('notMusic'))
        if genres is None:
            self._log.info('{0}: no genre ({1}{2})', displayable_path(item.path), 'the album\'s ' if source == 'album' else '', why)
            return False
        new = separator.join(chosen(genres, max(1, count)))
        if new == item.genre:
            return False
        self._log.info('{0}{1}: {2!r} -> {3!r} ({4:.2f}{5})', 'would set ' if pretend else '', displayable_path(item.path),
                       item.genre, new, genres[0][2], ', album' if source == 'album' else '')
        if pretend:
            return True
        item.genre = new
        item.store()
        if write:
            item.try_write()
        return True

    def tag(self, lib, items, opts=None, pretend=False, write=False):
        """Tags `items` (track source) or their albums (album source). Returns (changed items, considered)."""
        source = (opts.source if opts is not None and opts.source else self.config['source'].as_str()).lower()
        if source not in ('track', 'album'):
            raise ui.UserError('genretagger: source must be track or album, not {0!r}'.format(source))
        force = opts.force if opts is not None and opts.force is not None else self.config['force'].get(bool)
        changed = []
        if source == 'track':
            todo = [i for i in items if force or not i.genre]
            answers = self._answers(todo)
            for item in todo:
                a = answers.get(item.id)
                if a is not None and self._apply(item, ranked(a), opts, pretend, write, 'track'):
                    changed.append(item)
            return changed, len(todo)
        # Album: every track of each album the items belong to is heard; singletons alone.
        groups = OrderedDict()
        for item in items:
            key = item.album_id if item.album_id is not None else ('item', item.id)
            if key not in groups:
                album = lib.get_album(item.album_id) if item.album_id is not None else None
                groups[key] = (album, list(album.items()) if album is not None else [item])
        groups = OrderedDict((k, g) for k, g in groups.items() if force or any(not i.genre for i in g[1]))
        answers = self._answers([i for _, members in groups.values() for i in members])
        considered = 0
        for album, members in groups.values():
            heard = [answers[i.id] for i in members if answers.get(i.id) is not None]
            considered += len(members)
            if not heard:
                continue
            scores = album_scores(heard, self.tool().header) if album is not None else ranked(heard[0])
            for item in members:
                if self._apply(item, scores, opts, pretend, write, 'album' if album is not None else 'track'):
                    changed.append(item)
            if album is not None and not pretend:
                genres = set(i.genre for i in members)
                if len(genres) == 1 and album.genre != members[0].genre:
                    album.genre = members[0].genre
                    album.store()  # the items already have it
        return changed, considered

    # -- the command and the import hook ---------------------------------------------------

    def commands(self):
        cmd = ui.Subcommand('genretag', help='tag genres from the audio with the genre tagger')
        cmd.parser.add_option('-f', '--force', dest='force', action='store_true', default=None,
                              help='replace existing genres (default: only fill empty ones)')
        cmd.parser.add_option('-p', '--pretend', dest='pretend', action='store_true', default=False,
                              help='show what would change; change nothing')
        cmd.parser.add_option('-s', '--source', dest='source', type='string',
                              help='track: a genre per track; album: one per album from all its tracks\' windows')
        cmd.parser.add_option('--count', dest='count', type='int', help='write up to N genres')
        cmd.parser.add_option('-m', '--min-confidence', dest='min_confidence', type='float',
                              help='write nothing below this probability (default: the model\'s)')
        cmd.parser.add_option('--model', dest='model', help='a model made by learn (a folder)')
        cmd.parser.add_option('-w', '--write', dest='write', action='store_true', default=None,
                              help='write genres into the files (default: import.write)')
        cmd.parser.add_option('-W', '--nowrite', dest='write', action='store_false', help='do not write files')
        cmd.parser.add_option('--learn', dest='learn', metavar='MODEL_DIR',
                              help='learn a model from the genres the matched items have, with genre-tagger learn')

        def func(lib, opts, args):
            if opts.model:
                self.config['model'].set(opts.model)
            query = ui.decargs(args)
            try:
                if opts.learn:
                    return self.learn(lib, query, opts.learn)
                items = list(lib.items(query))
                write = ui.should_write(opts.write)
                changed, considered = self.tag(lib, items, opts, pretend=opts.pretend, write=write and not opts.pretend)
                self._log.info('{0} {1} of {2} tracks considered ({3} matched){4}', 'would change' if opts.pretend else 'changed',
                               len(changed), considered, len(items), '' if opts.pretend or write else '; files not written (import.write is off)')
            finally:
                self._close()

        cmd.func = func
        return [cmd]

    def imported(self, session, task):
        """`auto: yes`: tag what was just imported.

        Files are written once the importer has copied or moved them (never the originals of a
        copy): by the importer itself for autotagged tasks, by `_write_imported` for as-is ones.
        """
        with self._lock:
            if self._unavailable:
                return
            try:
                changed, _ = self.tag(session.lib, list(task.imported_items()), None, pretend=False, write=False)
            except ui.UserError as e:
                # The import goes on without genres; said once.
                self._unavailable = True
                self._log.error('{0}; the import goes on without genres', e)
                return
            if changed and not (task.apply or task.choice_flag == importer.action.RETAG) and ui.should_write():
                self._unwritten[id(task)] = changed

    def _write_imported(self, session, task):
        for item in self._unwritten.pop(id(task), []):
            item.load()  # its path after the copy or move
            item.try_write()

    # -- learn -----------------------------------------------------------------------------

    def learn(self, lib, query, model_dir):
        """Runs `genre-tagger learn` on the matched items' files with the genres beets has for them."""
        separator = self.config['separator'].as_str().strip() or ','
        rows = 0
        with tempfile.NamedTemporaryFile('w', encoding='utf-8', suffix='.jsonl', prefix='genretagger-', delete=False) as f:
            for item in lib.items(query):
                if not item.genre:
                    continue
                genres = [g.strip() for g in item.genre.split(separator) if g.strip()]
                f.write(json.dumps({'path': displayable_path(item.path), 'genres': genres,
                                    'albumartist': item.albumartist, 'artist': item.artist,
                                    'album': item.album}) + '\n')
                rows += 1
            tracks = f.name
        try:
            if rows == 0:
                raise ui.UserError('genretagger: no matched item has a genre to learn from')
            self._log.info('learning from {0} tracks with genres into {1}', rows, model_dir)
            extra = shlex.split(self.config['learn_args'].as_str() or '')
            argv = self._command() + ['learn', '--tracks', tracks, '--out', os.path.expanduser(model_dir)] + extra
            try:
                code = subprocess.call(argv)
            except OSError as e:
                raise ui.UserError('genretagger: genre tagger not found ({0}: {1}); {2}'.format(argv[0], e.strerror, INSTALL))
            if code == 2:
                raise ui.UserError('genretagger: {0} failed with a usage error; if it has no `learn --tracks`, it is too old: {1}'.format(
                    ' '.join(self._command()), INSTALL))
            if code != 0:
                raise ui.UserError('genretagger: learn failed (exit code {0})'.format(code))
            self._log.info('use it: genretagger: {{model: {0}}} in the config, or beet genretag --model {0}', model_dir)
        finally:
            os.unlink(tracks)
