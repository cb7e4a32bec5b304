import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { TaskService } from './task-service.ts';
import {
  GraphQuery,
  LinkIn,
  RelationshipList,
  RelationshipOut,
  RelationshipParams,
  TaskCreateIn,
  TaskGraphOut,
  TaskIdParams,
  TaskList,
  TaskListQuery,
  TaskOut,
  TaskUpdateIn,
} from './task-schemas.ts';

/**
 * Tasks: read to list and show, ingest to create, change and link (CI and agents write
 * them with their ingest tokens). A team-bound token sees and changes its team's tasks
 * only. The service writes the `audit` lines.
 */
export function taskRoutes(app: FastifyInstance, tasks: TaskService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['tasks'];
  const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut };
  const params = TaskIdParams;

  r.get(
    '/tasks',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: 'Tasks, newest first, filtered by status, priority, assignee, parent, text and time, in cursor pages',
        tags,
        querystring: TaskListQuery,
        response: { 200: TaskList, ...errors },
      },
    },
    async (request) => tasks.list(request.query, request.principal),
  );

  r.post(
    '/tasks',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Adds a task (its id chosen by the client, else a UUIDv7)',
        tags,
        body: TaskCreateIn,
        response: { 201: TaskOut, 409: ErrorOut, 413: ErrorOut, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await tasks.create(request.body, request.principal)),
  );

  r.get(
    '/tasks/:task_id',
    {
      config: { scope: 'read', access: 'team' },
      schema: { summary: 'One task', tags, params, response: { 200: TaskOut, ...errors } },
    },
    async (request) => tasks.get(request.params.task_id, request.principal),
  );

  r.patch(
    '/tasks/:task_id',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Changes a task; status moves queued -> in_progress -> completed (with a conclusion), completed is final',
        tags,
        params,
        body: TaskUpdateIn,
        response: { 200: TaskOut, 409: ErrorOut, 413: ErrorOut, ...errors },
      },
    },
    async (request) => tasks.update(request.params.task_id, request.body, request.principal),
  );

  r.get(
    '/tasks/:task_id/relationships',
    {
      config: { scope: 'read', access: 'team' },
      schema: { summary: "A task's relationships, both directions", tags, params, response: { 200: RelationshipList, ...errors } },
    },
    async (request) => tasks.relationships(request.params.task_id, request.principal),
  );

  r.post(
    '/tasks/:task_id/relationships',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Relates the task to another; a blocks, depends_on or parent_of edge that would close a cycle answers 409 with the path',
        tags,
        params,
        body: LinkIn,
        response: { 201: RelationshipOut, 409: ErrorOut, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await tasks.link(request.params.task_id, request.body, request.principal)),
  );

  r.delete(
    '/tasks/:task_id/relationships/:to_task_id/:kind',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Removes a relationship',
        tags,
        params: RelationshipParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errors },
      },
    },
    async (request, reply) => {
      const { task_id, to_task_id, kind } = request.params;
      await tasks.unlink(task_id, to_task_id, kind, request.principal);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/tasks/:task_id/graph',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: 'The tasks this one blocks or depends on and those that block or depend on it, to a depth (1-10, default 3)',
        tags,
        params,
        querystring: GraphQuery,
        response: { 200: TaskGraphOut, ...errors },
      },
    },
    async (request) => tasks.graph(request.params.task_id, request.query.depth ?? 3, request.principal),
  );
}
