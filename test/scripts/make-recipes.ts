import { expand, makeRecipes } from '../../lib/manifests/make-recipes';

/** A Makefile's recipes as make hands them to the shell (GNU make manual: recipe prefixes, variables, `$$`). */
const recipes = (text: string) => makeRecipes(text).text.split('\n');

describe("a Makefile's recipe lines as the shell gets them", () => {
  test('`=`, `:=`, `?=` and `+=` variables of the Makefile are put in, as `$(VAR)` or `${VAR}`; `$$` is a literal `$`', () => {
    const text = 'DIR = yaml\nSUB := $(DIR)/infra\nNS ?= demo\nFLAGS = -n\nFLAGS += $(NS)\n\nup:\n\toc apply -f ${SUB}/a.yaml $(FLAGS) && echo $$HOME\n';
    expect(recipes(text)[7]).toBe('\toc apply -f yaml/infra/a.yaml -n demo && echo $HOME');
  });

  test('the recipe prefixes `@`, `-` and `+` are removed; a line led by `-` is one whose failure make ignores', () => {
    const made = makeRecipes('up:\n\t@oc apply -f a.yaml\n\t-oc apply -f b.yaml\n\t+@ oc apply -f c.yaml\n');
    expect(made.text.split('\n').slice(1, 4)).toEqual(['\toc apply -f a.yaml', '\toc apply -f b.yaml', '\toc apply -f c.yaml']);
    expect([...made.errorsIgnored]).toEqual([3]);
  });

  test("the Makefile's own folder (the MAKEFILE_LIST idioms, $(CURDIR), $(shell pwd)) is the folder make runs in: `.`", () => {
    for (const value of [
      '$(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))',
      '$(dir $(abspath $(lastword $(MAKEFILE_LIST))))',
      '$(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))',
      '$(CURDIR)',
      '$(shell pwd)',
    ])
      expect(recipes(`BASE:=${value}\nup:\n\toc apply -f $(BASE)/yaml/a.yaml\n`)[2]).toBe('\toc apply -f ./yaml/a.yaml');
    expect(recipes('up:\n\toc apply -f $(CURDIR)/a.yaml\n')[1]).toBe('\toc apply -f ./a.yaml');
  });

  test('near misses: a variable set outside the Makefile, in a conditional, per target, by a shell or a function stays as written', () => {
    const text = [
      'ifdef PROD',
      'ENV = prod',
      'endif',
      'deploy: NS = prod',
      'NS = dev',
      'TAG != git rev-parse HEAD',
      'FILES = $(wildcard yaml/*.yaml)',
      'define BODY',
      'x',
      'endef',
      'up:',
      '\toc apply -f $(ENV)/a.yaml -n $(NS) $(UNSET) $(TAG) $(FILES) $(BODY) $@',
    ].join('\n');
    expect(recipes(text)[11]).toBe('\toc apply -f $(ENV)/a.yaml -n $(NS) $(UNSET) $(TAG) $(wildcard yaml/*.yaml) $(BODY) $@');
  });

  test('a value ends at an unescaped #, and a continued recipe line is expanded too', () => {
    expect(recipes('DIR = yaml # the manifests\nup:\n\toc apply \\\n  -f $(DIR)/a.yaml\n')[3]).toBe('  -f yaml/a.yaml');
    expect(
      expand(
        '$(A)$(B)',
        new Map([
          ['A', { value: '$(B)', expanded: false }],
          ['B', { value: 'b', expanded: false }],
        ]),
      ),
    ).toBe('bb');
  });
});
